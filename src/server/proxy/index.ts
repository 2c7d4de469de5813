import { type Env, env as processEnv } from '@/env';
import { dialAddress, riseUrlServedByProxy as servedByProxy } from '@/server/platform/internal-addresses';
import { CaddyProxy, type CaddyProxyConfig } from './caddy-proxy';
import type { Router } from './types';

export type { ProjectRoute, Router, TlsMode } from './types';

/**
 * Whether clients reach RISE_URL through Rise's Caddy (see internal-addresses.ts); then the web server
 * believes the one X-Forwarded-For entry Caddy adds (client-address.ts).
 */
export const riseUrlServedByProxy = (env: Env = processEnv): boolean => servedByProxy(env);

/**
 * Caddy settings from the environment.
 *
 * Caddy reaches the web server at RISE_INTERNAL_URL (compose: web:3000; `npm start`: localhost:PORT)
 * for the dashboard, forward-auth of private projects, the sign-in handshake, custom-domain challenges
 * and the on-demand TLS `ask`: never through RISE_URL, the public address, which from Caddy's
 * container may be Caddy itself, and asking through which would need the very certificate being asked
 * about.
 *
 * RISE_URL's host always gets the dashboard route, whatever its port: that host is Rise's (no project
 * or custom domain may claim it), and whether clients come through this Caddy or straight to the web
 * server depends on published ports, NAT or a balancer in front, which Rise cannot see — a route for
 * a host nobody sends here costs nothing, a missing one is a 404.
 */
export function caddyProxyConfig(env: Env = processEnv): CaddyProxyConfig {
  const webServer = dialAddress(env.RISE_INTERNAL_URL);
  const behindEdge = env.RISE_PROXY_LISTEN_HTTP_PORT !== undefined;
  return {
    adminUrl: env.RISE_CADDY_ADMIN_URL,
    // `npm start` (behind its edge) runs Caddy on this host, in this network namespace.
    migrateListeners: env.RISE_PROXY_LISTEN_HTTP_PORT !== undefined,
    httpPort: env.RISE_PROXY_HTTP_PORT,
    httpsPort: env.RISE_PROXY_HTTPS_PORT,
    listenHttpPort: env.RISE_PROXY_LISTEN_HTTP_PORT,
    listenHttpsPort: env.RISE_PROXY_LISTEN_HTTPS_PORT,
    tlsMode: env.RISE_TLS_MODE,
    // Behind `npm start`'s edge (RISE_PROXY_LISTEN_*), Caddy listens on loopback only.
    bindHost: behindEdge ? '127.0.0.1' : env.RISE_PROXY_BIND_HOST,
    trustedProxies: edgeAddresses(env),
    riseUrl: env.RISE_INTERNAL_URL,
    authUpstream: webServer,
    dashboard: {
      host: new URL(env.RISE_URL).hostname,
      upstream: webServer,
      trustedProxies: edgeAddresses(env),
    },
  };
}

/**
 * Where the edge in front of Caddy connects from, when there is one: Caddy keeps the X-Forwarded-For
 * the edge sets (the client's address) instead of replacing it with the edge's. Only the edge's
 * plain-HTTP connections come from here: it passes TLS through from another address (apps-edge.ts),
 * since those connections carry whatever headers the client wrote.
 */
export function edgeAddresses(env: Env = processEnv): string[] | undefined {
  if (env.RISE_PROXY_TRUSTED_PROXIES?.length) return env.RISE_PROXY_TRUSTED_PROXIES;
  return env.RISE_PROXY_LISTEN_HTTP_PORT !== undefined ? ['127.0.0.1/32'] : undefined;
}

export function createProxy(env: Env = processEnv): Router {
  return new CaddyProxy(caddyProxyConfig(env));
}
