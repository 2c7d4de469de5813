import { describe, expect, it } from 'vitest';
import { deleteHoursBefore, foldBefore, minuteOf, resolutionFor } from './retention';

const at = (iso: string) => new Date(iso);

describe('retention', () => {
  it('keys samples by their minute', () => {
    expect(minuteOf(at('2026-12-02T10:15:42.123Z'))).toEqual(at('2026-12-02T10:15:00.000Z'));
  });

  it('folds whole hours that ended more than 24 h ago', () => {
    expect(foldBefore(at('2026-12-02T10:15:00Z'))).toEqual(at('2026-12-01T10:00:00Z'));
  });

  it('deletes hourly points after 30 days', () => {
    expect(deleteHoursBefore(at('2026-12-31T10:00:00Z'))).toEqual(at('2026-12-01T10:00:00Z'));
  });

  it('reads minute points up to 24 h back and hourly ones beyond', () => {
    const now = at('2026-12-02T10:00:00Z');
    expect(resolutionFor(at('2026-12-01T10:00:00Z'), now)).toBe('minute');
    expect(resolutionFor(at('2026-12-01T09:59:00Z'), now)).toBe('hour');
  });
});
