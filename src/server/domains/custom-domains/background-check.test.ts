import { describe, expect, it } from 'vitest';
import { backgroundCheckIntervalMs, isBackgroundCheckDue } from './domain.service';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const MINUTE = 60_000;

describe('background re-checks of pending domains', () => {
  it('check new domains every minute, then less often', () => {
    expect(backgroundCheckIntervalMs(ago(10 * MINUTE), now)).toBe(MINUTE);
    expect(backgroundCheckIntervalMs(ago(3 * 60 * MINUTE), now)).toBe(5 * MINUTE);
    expect(backgroundCheckIntervalMs(ago(3 * 24 * 60 * MINUTE), now)).toBe(30 * MINUTE);
  });

  it('are due when never checked (whatever their age) or checked one interval ago, and stop after 7 days', () => {
    expect(isBackgroundCheckDue({ createdAt: ago(MINUTE), lastCheckedAt: null }, now)).toBe(true);
    expect(isBackgroundCheckDue({ createdAt: ago(10 * MINUTE), lastCheckedAt: ago(30_000) }, now)).toBe(
      false,
    );
    expect(isBackgroundCheckDue({ createdAt: ago(10 * MINUTE), lastCheckedAt: ago(59_000) }, now)).toBe(true);
    expect(isBackgroundCheckDue({ createdAt: ago(120 * MINUTE), lastCheckedAt: ago(2 * MINUTE) }, now)).toBe(
      false,
    );
    expect(isBackgroundCheckDue({ createdAt: ago(8 * 24 * 60 * MINUTE), lastCheckedAt: null }, now)).toBe(
      true,
    );
    expect(
      isBackgroundCheckDue({ createdAt: ago(8 * 24 * 60 * MINUTE), lastCheckedAt: ago(60 * MINUTE) }, now),
    ).toBe(false);
  });
});
