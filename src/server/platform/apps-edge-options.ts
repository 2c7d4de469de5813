import type { Env } from '@/env';
import type { AppsEdgeOptions } from './apps-edge';

/**
 * The edge `npm start` runs on the apps' public ports, from Rise's settings; null when Caddy listens
 * on those ports itself (no RISE_PROXY_LISTEN_HTTP_PORT).
 *
 * Passed-through TLS connects from 127.0.0.2: Caddy trusts X-Forwarded-For only from 127.0.0.1
 * (proxy/index.ts), where the edge's plain-HTTP requests come from with the header it set itself,
 * while a TLS connection carries whatever the client wrote.
 */
export function appsEdgeOptions(
  env: Env,
  log: (line: string) => void,
): Omit<AppsEdgeOptions, 'waitForUpstreamMs' | 'retryIntervalMs'> | null {
  if (env.RISE_PROXY_LISTEN_HTTP_PORT === undefined) return null;
  const tlsUpstream = env.RISE_TLS_MODE !== 'off' ? env.RISE_PROXY_LISTEN_HTTPS_PORT : undefined;
  return {
    host: env.RISE_PROXY_BIND_HOST ?? '127.0.0.1',
    port: env.RISE_PROXY_HTTP_PORT,
    upstreamPort: env.RISE_PROXY_LISTEN_HTTP_PORT,
    // HTTPS is passed through to Caddy at TCP level (it holds the certificates): a connection is held
    // only until Caddy accepts it; one Caddy drops mid-stream is not replayed.
    tls:
      tlsUpstream === undefined
        ? undefined
        : { port: env.RISE_PROXY_HTTPS_PORT, upstreamPort: tlsUpstream, localAddress: '127.0.0.2' },
    log,
  };
}
