import { HANDSHAKE_PATH_PREFIX, HANDSHAKE_UPSTREAM_PREFIX } from '@/server/proxy/routes';

/**
 * How private projects' Ingresses talk to Rise (ingress-nginx annotations), shared by the router
 * that writes them and the forward-auth endpoint that reads what ingress-nginx sends. Pure.
 */

/** Query parameters of the auth-url Rise writes: which proxy asks, and for which project. */
export const AUTH_URL_PARAMS = { proxy: 'proxy', project: 'project' } as const;
export const NGINX_PROXY = 'nginx';

/**
 * The auth-url of a project's Ingress: Rise's forward-auth endpoint, marked as asked by ingress-nginx
 * and pinned to the project. The pin matters: nginx builds X-Original-URL from the client's Host
 * header, which need not be the host nginx routed by (an absolute request line names another), so
 * the host alone could name another project.
 */
export function nginxAuthUrl(authUrl: string, project: string): string {
  const url = new URL(authUrl);
  url.searchParams.set(AUTH_URL_PARAMS.proxy, NGINX_PROXY);
  url.searchParams.set(AUTH_URL_PARAMS.project, project);
  return url.toString();
}

/** The handshake paths on an app host, as one ingress-nginx regex path (ImplementationSpecific). */
export const HANDSHAKE_PATH_REGEX = `${HANDSHAKE_PATH_PREFIX.replaceAll('.', '\\.')}(start|complete)$`;
/** Where nginx's rewrite-target sends them on Rise (`$1` is the step). */
export const HANDSHAKE_REWRITE_TARGET = `${HANDSHAKE_UPSTREAM_PREFIX}$1`;
/** ingress-nginx's auth-signin: the start of the handshake on the app's own host (nginx adds `rd`). */
export function handshakeSigninUrl(scheme: 'http' | 'https'): string {
  return `${scheme}://$http_host${HANDSHAKE_PATH_PREFIX}start`;
}
