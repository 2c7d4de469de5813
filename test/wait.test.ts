import { describe, expect, it } from 'vitest';
import { StopWaiting, waitFor } from './wait';

describe('waitFor', () => {
  it('returns the first truthy value, treating errors and falsy values as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('not up');
        return calls === 2 ? null : { calls };
      },
      { description: 'the third call', intervalMs: 1, timeoutMs: 1_000 },
    );
    expect(value).toEqual({ calls: 3 });
  });

  it('names the description, the last error and the context on timeout', async () => {
    await expect(
      waitFor(
        async () => {
          throw new Error('connection refused');
        },
        { description: 'the server', intervalMs: 5, timeoutMs: 30, context: () => 'server log tail' },
      ),
    ).rejects.toThrow(
      /timed out after 30 ms waiting for the server; last error: connection refused\nserver log tail/,
    );
  });

  it('names the last falsy value on timeout', async () => {
    await expect(waitFor(() => 0, { description: 'a count', intervalMs: 5, timeoutMs: 20 })).rejects.toThrow(
      'waiting for a count; last value: 0',
    );
  });

  it('gives up at once when the probe throws StopWaiting', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          calls += 1;
          throw new StopWaiting('the server exited');
        },
        { description: 'the server', intervalMs: 5, timeoutMs: 10_000 },
      ),
    ).rejects.toThrow('the server exited');
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
