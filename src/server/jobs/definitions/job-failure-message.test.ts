import { describe, expect, it } from 'vitest';
import { failureMessage } from './job-failure-message';

describe('failureMessage', () => {
  it("reads pg-boss's supervisor failures, thrown errors, and names anything else unknown", () => {
    expect(failureMessage({ value: { message: 'job heartbeat timeout' } })).toBe('job heartbeat timeout');
    expect(failureMessage({ message: 'connection refused', stack: 'Error: ...' })).toBe('connection refused');
    expect(failureMessage(null)).toBe('unknown error');
    expect(failureMessage({ value: 3 })).toBe('unknown error');
  });
});
