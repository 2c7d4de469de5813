import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access';

const token = 'x'.repeat(40);

describe('metricsAccess', () => {
  it('keeps the web route off (404) and opens a dedicated listener when no token is set', () => {
    expect(metricsAccess(null, { token: undefined, dedicatedListener: false })).toBe('off');
    expect(metricsAccess('Bearer anything', { token: undefined, dedicatedListener: false })).toBe('off');
    expect(metricsAccess(null, { token: undefined, dedicatedListener: true })).toBe('allowed');
  });

  it('requires the token as a bearer credential wherever one is set', () => {
    for (const dedicatedListener of [false, true]) {
      expect(metricsAccess(`Bearer ${token}`, { token, dedicatedListener })).toBe('allowed');
      expect(metricsAccess(`bearer ${token}`, { token, dedicatedListener })).toBe('allowed');
      expect(metricsAccess(null, { token, dedicatedListener })).toBe('unauthorized');
      expect(metricsAccess(`Bearer ${token}x`, { token, dedicatedListener })).toBe('unauthorized');
      expect(metricsAccess(`Bearer ${'y'.repeat(40)}`, { token, dedicatedListener })).toBe('unauthorized');
      expect(metricsAccess(`Basic ${token}`, { token, dedicatedListener })).toBe('unauthorized');
      expect(metricsAccess('Bearer ', { token, dedicatedListener })).toBe('unauthorized');
    }
  });
});
