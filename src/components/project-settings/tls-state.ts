export type TlsMode = 'acme' | 'internal' | 'off';

/** How a custom domain is served, in words. */
export const TLS_STATE: Record<TlsMode, string> = {
  acme: 'HTTPS: certificate issued on first request',
  internal: 'HTTPS: Caddy internal CA',
  off: 'HTTP only (TLS off)',
};
