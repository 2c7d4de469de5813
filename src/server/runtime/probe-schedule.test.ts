import { describe, expect, it } from 'vitest';
import { probeSchedule } from './probe-schedule';

describe('probe schedule', () => {
  it('starts with short pauses that grow to the interval', () => {
    const schedule = probeSchedule({ attempts: 60, intervalMs: 1000 }, 0);
    const pauses = Array.from({ length: 12 }, () => schedule.next(0));
    expect(pauses.slice(0, 4)).toEqual([25, 38, 57, 86]);
    expect(pauses.every((pause, index) => index === 0 || pause! >= pauses[index - 1]!)).toBe(true);
    expect(pauses.at(-1)).toBe(1000);
  });

  it('gives up once attempts × interval has passed', () => {
    const schedule = probeSchedule({ attempts: 3, intervalMs: 100 }, 0);
    let at = 0;
    let probes = 1;
    for (let pause = schedule.next(at); pause !== null; pause = schedule.next(at)) {
      at += pause;
      probes++;
    }
    expect(at).toBeLessThanOrEqual(300);
    expect(probes).toBeGreaterThan(3);
  });

  it('never pauses longer than a short interval', () => {
    const schedule = probeSchedule({ attempts: 5, intervalMs: 10 }, 0);
    expect(schedule.next(0)).toBe(10);
    expect(schedule.next(10)).toBe(10);
  });
});
