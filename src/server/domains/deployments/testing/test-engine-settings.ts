import type { EngineSettings } from '../engine-deps';

/**
 * Engine settings for a test: host upstreams, a small slot port range, quick health checks and no
 * settle, with `overrides` for what a test needs otherwise (a real container wants slower checks).
 */
export function testEngineSettings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    upstreamMode: 'host',
    portRange: [20000, 20009],
    baseDomain: 'apps.test',
    health: { attempts: 10, intervalMs: 100, timeoutMs: 500 },
    settleMs: 0,
    releaseTimeoutMs: 60_000,
    stopGraceMs: 3000,
    stuckAfterMs: 600_000,
    restartBackoff: { initialMs: 1000, maxMs: 8000 },
    crashLoop: { restarts: 3, stableAfterMs: 600_000 },
    ...overrides,
  };
}
