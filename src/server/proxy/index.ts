import { type Env, env as processEnv } from '@/env';
import { CaddyProxy, type CaddyProxyConfig } from './caddy-proxy';
import type { Proxy as RiseProxy } from './types';

export type { ProjectRoute, Proxy, TlsMode } from './types';

/**
 * Caddy settings from the environment.
 *
 * Caddy reaches Rise (forward-auth, on-demand TLS `ask`) at RISE_URL's host and port when RISE_URL
 * points at Rise directly (e.g. http://localhost:3000). When RISE_URL is served by this proxy (its
 * port is the proxy's HTTP or HTTPS port, e.g. https://rise.example.com), Rise gets the dashboard
 * route for that host and Caddy dials the web server itself at RISE_HOST:PORT instead — asking
 * through the public URL would need the very certificate being asked about.
 */
export function caddyProxyConfig(env: Env = processEnv): CaddyProxyConfig {
  const url = new URL(env.RISE_URL);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const servedByProxy = port === env.RISE_PROXY_HTTP_PORT || port === env.RISE_PROXY_HTTPS_PORT;
  const webHost = env.RISE_HOST === '0.0.0.0' || env.RISE_HOST === '::' ? '127.0.0.1' : env.RISE_HOST;
  const webServer = `${webHost.includes(':') ? `[${webHost}]` : webHost}:${env.PORT}`;
  // Behind `npm start`'s edge (RISE_PROXY_LISTEN_*), Caddy listens on loopback only and believes the
  // edge's X-Forwarded-* headers.
  const behindEdge = env.RISE_PROXY_LISTEN_HTTP_PORT !== undefined;
  return {
    adminUrl: env.RISE_CADDY_ADMIN_URL,
    httpPort: env.RISE_PROXY_HTTP_PORT,
    httpsPort: env.RISE_PROXY_HTTPS_PORT,
    listenHttpPort: env.RISE_PROXY_LISTEN_HTTP_PORT,
    listenHttpsPort: env.RISE_PROXY_LISTEN_HTTPS_PORT,
    tlsMode: env.RISE_TLS_MODE,
    bindHost: behindEdge ? '127.0.0.1' : env.RISE_PROXY_BIND_HOST,
    trustedProxies: behindEdge ? ['127.0.0.1/32', '::1/128'] : undefined,
    riseUrl: servedByProxy ? `http://${webServer}` : env.RISE_URL,
    authUpstream: servedByProxy ? webServer : `${url.hostname}:${port}`,
    dashboard: servedByProxy ? { host: url.hostname, upstream: webServer } : undefined,
  };
}

export function createProxy(env: Env = processEnv): RiseProxy {
  return new CaddyProxy(caddyProxyConfig(env));
}
