export interface WaitOptions {
  /** What is awaited, for the timeout message ("deployment abc to settle"). */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Extra text for the timeout message, e.g. the tail of a process's output. */
  context?: () => string | undefined;
}

/**
 * Thrown by a probe when waiting is pointless (the process it waits for has exited): `waitFor`
 * rethrows it at once.
 */
export class StopWaiting extends Error {}

type Falsy = null | undefined | false | 0 | '';

/**
 * Polls `probe` until it returns a truthy value and returns that value. A thrown error counts as
 * "not yet", except a `StopWaiting`, which ends the wait at once. After `timeoutMs` it throws, naming
 * the description, the last error or value, and `context()`.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: WaitOptions,
): Promise<Exclude<T, Falsy>> {
  const { description, timeoutMs = 90_000, intervalMs = 200, context } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { error: unknown } | { value: unknown } | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, Falsy>;
      last = { value };
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = { error };
    }
    if (Date.now() + intervalMs > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const detail = context?.();
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${description}${describeLast(last)}${detail ? `\n${detail.slice(-3000)}` : ''}`,
  );
}

function describeLast(last: { error: unknown } | { value: unknown } | undefined): string {
  if (!last) return '';
  if ('error' in last)
    return `; last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`;
  return `; last value: ${formatValue(last.value)}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
