import type { HealthCheck } from './types';

/** The pause after the first failed probe; each later pause is 1.5 times longer, up to the interval. */
export const FIRST_PROBE_PAUSE_MS = 25;

/**
 * When to probe an instance that was just started. An app usually listens within a fraction of a
 * second, so waiting a whole interval after the first refused probe would add that interval to every
 * deploy; the pauses grow from 25 ms to `intervalMs` instead. The check still gives up after
 * `attempts × intervalMs`, the time the settings always allowed.
 */
export function probeSchedule(check: Pick<HealthCheck, 'attempts' | 'intervalMs'>, now = Date.now()) {
  const deadline = now + check.attempts * check.intervalMs;
  let pause = Math.min(FIRST_PROBE_PAUSE_MS, check.intervalMs);
  return {
    /** The pause before the next probe, or null when none fits before the deadline. */
    next(at = Date.now()): number | null {
      if (at + pause > deadline) return null;
      const current = pause;
      pause = Math.min(check.intervalMs, Math.ceil(pause * 1.5));
      return current;
    },
  };
}
