import type { Env } from '@/env';
import type { ProxyTarget } from '@/server/domains/uptime/proxy-probe';

/**
 * Where the uptime check reaches Rise's proxy: RISE_UPTIME_PROXY_HOST (e.g. `caddy` where the worker
 * runs in another container), else the proxy's bind address (a wildcard as 127.0.0.1); Caddy's own
 * port (RISE_PROXY_LISTEN_*) under `npm start`, else the public one. HTTPS unless TLS is off.
 */
export function uptimeProxyTarget(
  env: Pick<
    Env,
    | 'RISE_UPTIME_PROXY_HOST'
    | 'RISE_PROXY_BIND_HOST'
    | 'RISE_TLS_MODE'
    | 'RISE_PROXY_HTTP_PORT'
    | 'RISE_PROXY_HTTPS_PORT'
    | 'RISE_PROXY_LISTEN_HTTP_PORT'
    | 'RISE_PROXY_LISTEN_HTTPS_PORT'
  >,
): ProxyTarget {
  const bind = env.RISE_PROXY_BIND_HOST;
  const address =
    env.RISE_UPTIME_PROXY_HOST ?? (!bind || bind === '0.0.0.0' ? '127.0.0.1' : bind === '::' ? '::1' : bind);
  const tls = env.RISE_TLS_MODE !== 'off';
  const port = tls
    ? (env.RISE_PROXY_LISTEN_HTTPS_PORT ?? env.RISE_PROXY_HTTPS_PORT)
    : (env.RISE_PROXY_LISTEN_HTTP_PORT ?? env.RISE_PROXY_HTTP_PORT);
  return { address, port, tls };
}
