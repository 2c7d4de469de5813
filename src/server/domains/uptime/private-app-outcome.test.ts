import { describe, expect, it } from 'vitest';
import { privateAppOutcome } from './private-app-outcome';
import type { ProbeOutcome } from './proxy-probe';

const answered = (statusCode: number, responseMs = 12): ProbeOutcome => ({
  up: statusCode < 500,
  statusCode,
  responseMs,
  error: statusCode >= 500 ? `answered ${statusCode}` : null,
});

describe('privateAppOutcome', () => {
  it("is the app's own answer when the sign-in answers through the proxy", () => {
    expect(privateAppOutcome(answered(302, 3), answered(200, 7))).toEqual(answered(200, 7));
  });

  it('is down when the app behind the sign-in fails, naming where it was seen', () => {
    expect(privateAppOutcome(answered(401), answered(502))).toEqual({
      ...answered(502),
      error: 'app behind the sign-in (probed directly): answered 502',
    });
  });

  it('is down when the proxy or the sign-in fails, whatever the app does', () => {
    expect(privateAppOutcome(answered(502), null)).toEqual({
      ...answered(502),
      error: 'through the proxy: answered 502',
    });
  });
});
