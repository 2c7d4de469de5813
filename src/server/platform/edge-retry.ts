/**
 * When the apps edge (apps-edge.ts) may send a request to Caddy again. Pure, so the rules are tested
 * on their own.
 */

/** Methods that mean the same when repeated (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Errors of opening a connection that mean Caddy was not there at all, so no request reached it: a
 * refused port, and (Caddy in its own container, stopped or restarting) a name Docker's DNS does not
 * resolve at that moment or an address no longer on the network.
 */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ECONNABORTED',
]);

/** Socket errors of a connection that broke (Caddy killed) before it sent any byte of an answer. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** The body is kept in memory (and can be sent again) only for idempotent methods, up to `limit` bytes. */
export function shouldBufferBody(
  method: string,
  headers: { 'content-length'?: string; 'transfer-encoding'?: string },
  limit: number,
): boolean {
  if (!isIdempotent(method)) return false;
  if (headers['transfer-encoding'] !== undefined) return false;
  const length = Number(headers['content-length'] ?? 0);
  return Number.isInteger(length) && length >= 0 && length <= limit;
}

export type UpstreamFailure = {
  /** `connect`: opening the connection failed; `request`: it broke after the request went out. */
  phase: 'connect' | 'request';
  /** The socket error's code, e.g. ECONNREFUSED. */
  code: string | undefined;
  method: string;
  /** The whole body is in memory (or there is none), so it can be sent again. */
  bodyReplayable: boolean;
  /** Some of Caddy's answer already went to the client. */
  responseStarted: boolean;
};

/**
 * Refused connections are retried for every method (the request never left); a connection broken
 * before any byte of the answer only for idempotent methods whose body can be sent again; nothing
 * once the answer started.
 */
export function shouldRetry(failure: UpstreamFailure): boolean {
  if (failure.responseStarted) return false;
  if (failure.phase === 'connect') return failure.code !== undefined && NOT_CONNECTED.has(failure.code);
  return (
    failure.code !== undefined &&
    BROKEN.has(failure.code) &&
    isIdempotent(failure.method) &&
    failure.bodyReplayable
  );
}
