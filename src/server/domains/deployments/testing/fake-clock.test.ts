import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('wakes sleeps only when advanced past their end, in order of their end', async () => {
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const woken: string[] = [];
    const long = clock.sleep(3000).then(() => woken.push('long'));
    const short = clock.sleep(1000).then(() => woken.push('short'));
    await clock.sleepingFor(3000);
    expect(clock.pending().sort()).toEqual([1000, 3000]);

    clock.advance(999);
    await Promise.resolve();
    expect(woken).toEqual([]);
    clock.advance(2001);
    await Promise.all([long, short]);
    expect(woken).toEqual(['short', 'long']);
    expect(clock.now()).toEqual(new Date('2026-01-01T00:00:03Z'));
    expect(clock.pending()).toEqual([]);
  });

  it('ends a sleep at once when its signal aborts, and a sleep of 0 ms at once', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    await clock.sleep(0);
    await clock.sleep(10, AbortSignal.abort());
    expect(clock.pending()).toEqual([]);
  });

  it('tells when a sleep of a given length begins', async () => {
    const clock = new FakeClock();
    let began = false;
    const watching = clock.sleepingFor(500).then(() => (began = true));
    void clock.sleep(100);
    await Promise.resolve();
    expect(began).toBe(false);
    void clock.sleep(500);
    await watching;
    expect(began).toBe(true);
  });
});
