import {
  APP_STATE_TTL_SECONDS,
  AUTHORIZE_PATH,
  appHostSetCookie,
  appStateCookieName,
  safeAppReturnPath,
} from './app-session';
import type { ProxyDecision } from './proxy-access.service';

/** Which proxy asked: Caddy's forward_auth, or ingress-nginx's auth-url (Kubernetes runtime). */
export type ForwardAuthRequest = { host: string; uri: string; proxy: 'caddy' | 'nginx'; wantsPage: boolean };

export type ForwardAuthAnswer = { status: number; headers: Record<string, string>; body: string | null };

/**
 * The original request behind a forward-auth call. Caddy sends X-Forwarded-Host and X-Forwarded-Uri;
 * ingress-nginx sends the whole URL in X-Original-URL instead.
 */
export function forwardAuthRequest(headers: Headers): ForwardAuthRequest {
  const wantsPage = (headers.get('accept') ?? '').includes('text/html');
  const forwardedHost = headers.get('x-forwarded-host');
  const originalUrl = headers.get('x-original-url');
  if (!forwardedHost && originalUrl && URL.canParse(originalUrl)) {
    const url = new URL(originalUrl);
    return { host: url.host, uri: `${url.pathname}${url.search}`, proxy: 'nginx', wantsPage };
  }
  return { host: forwardedHost ?? '', uri: headers.get('x-forwarded-uri') ?? '/', proxy: 'caddy', wantsPage };
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
      return { status: 200, headers, body: null };
    }
    case 'sign-in': {
      if (!request.wantsPage || request.proxy === 'nginx')
        return { status: 401, headers: {}, body: 'Sign in to Rise to use this app.\n' };
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
