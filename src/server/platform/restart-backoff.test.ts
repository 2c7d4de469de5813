import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  it('doubles the wait for each death in a row, from 0.5 s up to 15 s', () => {
    const backoff = new RestartBackoff();
    const waits = Array.from({ length: 8 }, () => backoff.next(100));
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('starts over after a child stayed up for a minute', () => {
    const backoff = new RestartBackoff();
    for (let i = 0; i < 5; i++) backoff.next(1000);
    expect(backoff.next(DEFAULT_BACKOFF.resetAfterMs - 1)).toBe(15_000);
    expect(backoff.next(DEFAULT_BACKOFF.resetAfterMs)).toBe(500);
    expect(backoff.next(10)).toBe(1000);
  });

  it('follows a custom policy', () => {
    const backoff = new RestartBackoff({ initialMs: 100, maxMs: 250, resetAfterMs: 1000 });
    expect([backoff.next(0), backoff.next(0), backoff.next(0), backoff.next(1000)]).toEqual([
      100, 200, 250, 100,
    ]);
  });
});
