/** One HTTP health probe: GET `url`, healthy on 2xx/3xx (redirects are not followed). */
export type ProbeResult = { ok: true; status: number } | { ok: false; error: string };

export async function probeHttp(
  url: string,
  options: { path: string; timeoutMs: number; signal?: AbortSignal },
): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'manual', signal });
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 400) return { ok: true, status: response.status };
    return { ok: false, error: `GET ${options.path} returned ${response.status}` };
  } catch (error) {
    if (options.signal?.aborted) return { ok: false, error: 'cancelled' };
    if (timeout.aborted)
      return { ok: false, error: `GET ${options.path} timed out after ${options.timeoutMs} ms` };
    return { ok: false, error: `GET ${options.path} failed: ${describeFetchError(error)}` };
  }
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed before a response',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** Node's fetch throws `TypeError: fetch failed` and keeps the reason in `cause`. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as (Error & { code?: string }) | undefined) : undefined;
  const code = cause?.code;
  if (code && CONNECTION_ERRORS[code]) return CONNECTION_ERRORS[code];
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
