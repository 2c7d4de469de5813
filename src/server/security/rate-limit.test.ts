import { describe, expect, it } from 'vitest';
import { AppError } from '@/server/errors';
import { retryAfterSeconds, retryAfterText, tooManyRequests } from './rate-limit';

describe('rate limit answers', () => {
  it('say when to try again, rounded up to whole seconds', () => {
    const error = tooManyRequests({ what: 'sign-in attempts' }, 2_100);
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.message).toBe('Too many sign-in attempts; try again in 3 seconds.');
    expect(retryAfterSeconds(error)).toBe(3);
  });

  it('never ask for less than a second', () => {
    expect(retryAfterSeconds(tooManyRequests({ what: 'polls' }, 0))).toBe(1);
  });

  it('switch to minutes for long waits', () => {
    expect(retryAfterText(1)).toBe('1 second');
    expect(retryAfterText(119)).toBe('119 seconds');
    expect(retryAfterText(900)).toBe('15 minutes');
    expect(retryAfterText(901)).toBe('16 minutes');
  });

  it('only TOO_MANY_REQUESTS errors carry a Retry-After', () => {
    expect(retryAfterSeconds(new AppError('BAD_REQUEST', 'x', { retryAfterSeconds: 5 }))).toBeNull();
  });
});
