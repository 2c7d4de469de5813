import { FakeRouter } from '@/server/proxy/fake';
import { FakeRuntime } from '@/server/runtime/fake';
import type { EngineDeps, EngineSettings } from '../engine-deps';
import { FakeClock } from './fake-clock';
import { FakeImages } from './fake-images';
import { InMemoryEngineStore } from './in-memory-engine-store';

export const FAKE_ENGINE_SETTINGS: EngineSettings = {
  upstreamMode: 'host',
  portRange: [20000, 20009],
  baseDomain: 'apps.test',
  health: { attempts: 10, intervalMs: 100, timeoutMs: 500 },
  settleMs: 0,
  stopGraceMs: 3000,
  stuckAfterMs: 600_000,
  restartBackoff: { initialMs: 1000, maxMs: 8000 },
};

/**
 * The deploy engine's dependencies, every one in memory: the database (InMemoryEngineStore), the
 * runtime (FakeRuntime), the router (FakeRouter), images (FakeImages) and time (FakeClock).
 */
export function fakeEngine(
  options: { settings?: Partial<EngineSettings>; env?: Record<string, string> } = {},
) {
  const clock = new FakeClock();
  const store = new InMemoryEngineStore(clock);
  const runtime = new FakeRuntime({ now: () => clock.now() });
  const router = new FakeRouter();
  const images = new FakeImages();
  const deps: EngineDeps = {
    runtime,
    proxy: router,
    images,
    resolveEnv: async () => ({ ...options.env }),
    settings: { ...FAKE_ENGINE_SETTINGS, ...options.settings },
    repos: store.repos,
    clock,
  };
  return { deps, store, runtime, router, images, clock };
}
