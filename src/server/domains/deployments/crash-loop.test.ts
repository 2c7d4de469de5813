import { describe, expect, it } from 'vitest';
import { crashTitle, planCrashRestart, ranStable, restartBackoffMs, restartWake } from './crash-loop';

const settings = {
  restartBackoff: { initialMs: 5000, maxMs: 300_000 },
  crashLoop: { restarts: 3, stableAfterMs: 600_000 },
};
const now = new Date('2026-12-02T12:00:00Z');

describe('crash restarts', () => {
  it('doubles the pause after each restart from the initial one, capped', () => {
    const pauses = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((restart) =>
      restartBackoffMs(restart, settings.restartBackoff),
    );
    expect(pauses).toEqual([5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('counts a run as stable only from stableAfterMs on', () => {
    const ago = (ms: number) => new Date(now.getTime() - ms);
    expect(ranStable(ago(599_999), now, 600_000)).toBe(false);
    expect(ranStable(ago(600_000), now, 600_000)).toBe(true);
    expect(ranStable(null, now, 600_000)).toBe(false);
  });

  it('plans restarts: told of the first crash and each restart, then of the loop once, then nothing', () => {
    const plans = [0, 1, 2, 3].map((restartCount) =>
      planCrashRestart({ restartCount, crashLoopSince: restartCount >= 3 ? now : null }, now, settings),
    );
    expect(plans.map((plan) => plan.notify)).toEqual([
      ['app.crashed', 'app.restarted'],
      ['app.restarted'],
      ['app.crash-looping'],
      [],
    ]);
    expect(plans.map((plan) => [plan.restart, plan.startsLoop, plan.looping])).toEqual([
      [1, false, false],
      [2, false, false],
      [3, true, true],
      [4, false, true],
    ]);
    expect(plans.map((plan) => plan.nextRestartAt.getTime() - now.getTime())).toEqual([
      5000, 10_000, 20_000, 40_000,
    ]);
  });

  it('names the exit code, or a missing instance, in titles', () => {
    expect(crashTitle('app.crashed', 'shop', { exitCode: 137, restart: 1 })).toBe(
      'shop crashed: its instance exited with code 137',
    );
    expect(crashTitle('app.crash-looping', 'shop', { exitCode: null, restart: 3 })).toBe(
      'shop is crash-looping: restarted 3 times without running stable (last: is gone)',
    );
    expect(crashTitle('app.restarted', 'shop', { exitCode: 1, restart: 2 })).toBe(
      'shop was restarted after a crash (restart #2)',
    );
  });

  it('wakes the reconciler for the earliest restart due before its next scheduled run only', () => {
    const at = (ms: number) => new Date(now.getTime() + ms);
    expect(restartWake([at(40_000), null, at(10_000)], now, 60_000)).toEqual(at(10_000));
    expect(restartWake([at(60_000), null], now, 60_000)).toBeNull();
    expect(restartWake([null], now, 60_000)).toBeNull();
    expect(restartWake([], now, 60_000)).toBeNull();
  });
});
