import {
  APP_STATE_TTL_SECONDS,
  AUTHORIZE_PATH,
  appHostSetCookie,
  appStateCookieName,
  safeAppReturnPath,
} from '@/server/domains/proxy-access/app-session';
import type { ProxyDecision } from '@/server/domains/proxy-access/proxy-access.service';
import { RISE_COOKIE_PATTERN } from '@/server/proxy/routes';
import { AUTH_URL_PARAMS, NGINX_PROXY } from '@/server/runtime/kubernetes/ingress-auth';

/**
 * Which proxy asked: Caddy's forward_auth, or ingress-nginx's auth-url (Kubernetes runtime). For
 * ingress-nginx, `project` is the project whose Ingress asked (from the auth-url Rise wrote), and
 * `authorization` / `cookie` are the request's, which the answer hands back without Rise's credentials.
 */
export type ForwardAuthRequest = {
  host: string;
  uri: string;
  proxy: 'caddy' | 'nginx';
  wantsPage: boolean;
  project?: string | null;
  authorization?: string | null;
  cookie?: string | null;
};

export type ForwardAuthAnswer = { status: number; headers: Record<string, string>; body: string | null };

/**
 * The original request behind a forward-auth call. Caddy sends X-Forwarded-Host and X-Forwarded-Uri
 * (set by Rise's route, so never the client's); ingress-nginx sends the whole URL in X-Original-URL
 * and passes the client's other headers through untouched, so an X-Forwarded-Host there is the
 * client's and is ignored. Which proxy asked is told by the URL Rise configured it with: Caddy's
 * forward_auth always asks for the bare path, ingress-nginx for the Ingress' `nginxAuthUrl`.
 */
export function forwardAuthRequest(headers: Headers, url?: URL): ForwardAuthRequest {
  const wantsPage = (headers.get('accept') ?? '').includes('text/html');
  if (url?.searchParams.get(AUTH_URL_PARAMS.proxy) === NGINX_PROXY) {
    const originalUrl = headers.get('x-original-url');
    const original = originalUrl && URL.canParse(originalUrl) ? new URL(originalUrl) : null;
    return {
      host: original?.host ?? '',
      uri: original ? `${original.pathname}${original.search}` : '/',
      proxy: 'nginx',
      wantsPage,
      project: url.searchParams.get(AUTH_URL_PARAMS.project),
      authorization: headers.get('authorization'),
      cookie: headers.get('cookie'),
    };
  }
  return {
    host: headers.get('x-forwarded-host') ?? '',
    uri: headers.get('x-forwarded-uri') ?? '/',
    proxy: 'caddy',
    wantsPage,
  };
}

/** Header of a 2xx forward-auth answer telling the proxy to remove the request's `Authorization`. */
export const CONSUMED_HEADER = 'x-rise-consumed';

/**
 * The answer to a forward-auth call. A browser behind Caddy without a valid app-session cookie is
 * sent to Rise's authorize endpoint, which hands its host a one-time code (see app-session.ts).
 * ingress-nginx accepts only 2xx, 401 and 403 (anything else becomes a 500 for the visitor) and
 * redirects to sign-in itself (its auth-signin annotation), so it gets 401 where Caddy gets the
 * redirect, and 403 for a host Rise does not serve.
 */
export function forwardAuthAnswer(
  decision: ProxyDecision,
  request: ForwardAuthRequest,
  site: { riseUrl: string; tlsMode: 'acme' | 'internal' | 'off'; handshakeState: string },
): ForwardAuthAnswer {
  switch (decision.outcome) {
    case 'allow': {
      const headers: Record<string, string> = {};
      if (decision.user) headers['x-rise-user'] = decision.user;
      if (decision.consumedAuthorization) headers[CONSUMED_HEADER] = 'authorization';
      if (request.proxy === 'nginx') Object.assign(headers, nginxForwardedCredentials(request, decision));
      return { status: 200, headers, body: null };
    }
    case 'sign-in': {
      if (!request.wantsPage || request.proxy === 'nginx')
        return { status: 401, headers: {}, body: 'Sign in to Rise to use this app.\n' };
      return handshakeStart(request, site);
    }
    case 'forbidden':
      return {
        status: 403,
        headers: {},
        body: 'You are signed in but not a member of the team that owns this app.\n',
      };
    case 'unknown-host':
      return {
        status: request.proxy === 'nginx' ? 403 : 404,
        headers: {},
        body: 'No Rise project is served at this host.\n',
      };
  }
}

/** Rise's authorize URL for the app host of `request`, returning to its path (or `/` when that is unsafe). */
export function authorizeUrl(
  request: Pick<ForwardAuthRequest, 'host' | 'uri'>,
  riseUrl: string,
  state: string,
): string {
  const target = new URL(AUTHORIZE_PATH, riseUrl);
  target.searchParams.set('host', request.host);
  target.searchParams.set('return', safeAppReturnPath(request.uri) ?? '/');
  target.searchParams.set('state', state);
  return target.toString();
}

/**
 * The start of the sign-in handshake on an app host: a host-only state cookie (against login CSRF)
 * and a redirect to Rise's authorize endpoint. Caddy's forward-auth answers with it directly;
 * ingress-nginx's auth-signin sends the browser to `/.rise/auth/start`, which answers with it.
 */
export function handshakeStart(
  request: Pick<ForwardAuthRequest, 'host' | 'uri'>,
  site: { riseUrl: string; tlsMode: 'acme' | 'internal' | 'off'; handshakeState: string },
): ForwardAuthAnswer {
  const config = { RISE_TLS_MODE: site.tlsMode };
  return {
    status: 302,
    headers: {
      location: authorizeUrl(request, site.riseUrl, site.handshakeState),
      'set-cookie': appHostSetCookie(
        appStateCookieName(config),
        site.handshakeState,
        APP_STATE_TTL_SECONDS,
        config,
      ),
      'cache-control': 'no-store',
    },
    body: null,
  };
}

/**
 * The path to come back to from ingress-nginx's `rd` parameter (`<scheme>://<host><request URI>` of
 * the refused request): its path and query when it names `host`, else `/`. Checked again by
 * `authorizeUrl` (safeAppReturnPath).
 */
export function signinReturnPath(rd: string | null, host: string): string {
  if (!rd || !URL.canParse(rd)) return '/';
  const url = new URL(rd);
  if (url.host.toLowerCase() !== host.toLowerCase()) return '/';
  return `${url.pathname}${url.search}`;
}

const riseCookies = new RegExp(RISE_COOKIE_PATTERN, 'g');

/** A `Cookie` header without Rise's cookies (RISE_COOKIE_PATTERN, as Caddy strips them); '' if none is left. */
export function withoutRiseCookies(cookie: string | null | undefined): string {
  return (cookie ?? '').replace(riseCookies, '').replace(/^[; \t]+/, '');
}

/**
 * ingress-nginx cannot delete a request header without a configuration snippet, but each header named
 * in auth-response-headers is SET on the request to the app from the auth answer, and nginx drops a
 * header set to an empty value. So the answer repeats the request's `Authorization` unless it was
 * Rise's credential, and its `Cookie` without Rise's cookies; an absent one removes the header.
 */
function nginxForwardedCredentials(
  request: ForwardAuthRequest,
  decision: Extract<ProxyDecision, { outcome: 'allow' }>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.authorization && !decision.consumedAuthorization) headers.authorization = request.authorization;
  const cookie = withoutRiseCookies(request.cookie);
  if (cookie) headers.cookie = cookie;
  return headers;
}
