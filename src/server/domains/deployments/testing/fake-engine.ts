import { FakeRouter } from '@/server/proxy/fake';
import { FakeRuntime } from '@/server/runtime/fake';
import type { EngineDeps, EngineSettings } from '../engine-deps';
import { FakeClock } from './fake-clock';
import { FakeImages } from './fake-images';
import { InMemoryEngineStore } from './in-memory-engine-store';
import { testEngineSettings } from './test-engine-settings';

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
  /** Per deployment id: its own env vars (`rise d c -e`), applied over `options.env`. */
  const envOverrides = new Map<string, Record<string, string>>();
  const deps: EngineDeps = {
    runtime,
    proxy: router,
    images,
    resolveEnv: async (_projectId, deploymentId) => ({
      ...options.env,
      ...envOverrides.get(deploymentId),
    }),
    settings: testEngineSettings(options.settings),
    repos: store.repos,
    clock,
  };
  return { deps, store, runtime, router, images, clock, envOverrides };
}
