/**
 * Polls `probe` until it returns a truthy value (errors count as "not yet"), or fails after
 * `timeoutMs` naming what it waited for, the last error, and `context()` (e.g. a worker's output).
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; context?: () => string | undefined } = {},
): Promise<T> {
  const { timeoutMs = 90_000, intervalMs = 200, context } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const detail = context?.();
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${detail ? `\nworker output:\n${detail.slice(-3000)}` : ''}`,
  );
}
