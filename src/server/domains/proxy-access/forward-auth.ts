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

/**
 * The answer to a forward-auth call. ingress-nginx accepts only 2xx, 401 and 403 (anything else becomes
 * a 500 for the visitor) and redirects to sign-in itself (its auth-signin annotation), so it gets 401
 * where Caddy gets the redirect, and 403 for a host Rise does not serve.
 */
export function forwardAuthAnswer(
  decision: ProxyDecision,
  request: ForwardAuthRequest,
  site: { riseUrl: string; tlsMode: 'acme' | 'internal' | 'off' },
): ForwardAuthAnswer {
  switch (decision.outcome) {
    case 'allow':
      return { status: 200, headers: decision.user ? { 'x-rise-user': decision.user } : {}, body: null };
    case 'sign-in': {
      if (!request.wantsPage || request.proxy === 'nginx')
        return { status: 401, headers: {}, body: 'Sign in to Rise to use this app.\n' };
      const scheme = site.tlsMode === 'off' ? 'http' : 'https';
      const target = new URL('/signin', site.riseUrl);
      target.searchParams.set('callbackUrl', `${scheme}://${request.host}${request.uri}`);
      return { status: 302, headers: { location: target.toString() }, body: null };
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
