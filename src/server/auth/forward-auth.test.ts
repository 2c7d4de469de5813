import { describe, expect, it } from 'vitest';
import {
  forwardAuthAnswer,
  forwardAuthRequest,
  handshakeStart,
  signinReturnPath,
  withoutRiseCookies,
} from './forward-auth';

const state = 'S'.repeat(43);
const site = { riseUrl: 'https://rise.example.com', tlsMode: 'acme' as const, handshakeState: state };

describe('forwardAuthRequest', () => {
  it("reads Caddy's X-Forwarded-Host and X-Forwarded-Uri", () => {
    const headers = new Headers({ 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/a?b=1' });
    expect(forwardAuthRequest(headers)).toEqual({
      host: 'app.example.com',
      uri: '/a?b=1',
      proxy: 'caddy',
      wantsPage: false,
    });
  });

  it("reads ingress-nginx's X-Original-URL when the auth-url says nginx, never the client's X-Forwarded-*", () => {
    const headers = new Headers({
      'x-original-url': 'https://app.example.com/a?b=1',
      // ingress-nginx passes the client's own headers to the auth endpoint untouched.
      'x-forwarded-host': 'public.example.com',
      'x-forwarded-uri': '/elsewhere',
      accept: 'text/html,application/xhtml+xml',
      authorization: 'Basic YTpi',
      cookie: 'theme=dark',
    });
    const url = new URL('https://rise.example.com/api/proxy/auth?proxy=nginx&project=shop');
    expect(forwardAuthRequest(headers, url)).toEqual({
      host: 'app.example.com',
      uri: '/a?b=1',
      proxy: 'nginx',
      wantsPage: true,
      project: 'shop',
      authorization: 'Basic YTpi',
      cookie: 'theme=dark',
    });
  });

  it("ignores X-Original-URL when Caddy asks (a client's header passes through Caddy too)", () => {
    const headers = new Headers({
      'x-forwarded-host': 'app.example.com',
      'x-forwarded-uri': '/x',
      'x-original-url': 'https://public.example.com/',
    });
    expect(forwardAuthRequest(headers, new URL('https://rise.example.com/api/proxy/auth'))).toMatchObject({
      host: 'app.example.com',
      proxy: 'caddy',
    });
  });
});

describe('forwardAuthAnswer', () => {
  const caddyPage = { host: 'app.example.com', uri: '/x', proxy: 'caddy' as const, wantsPage: true };
  const nginxPage = { ...caddyPage, proxy: 'nginx' as const };

  it("sends a browser behind Caddy to Rise's authorize endpoint with a host-only state cookie", () => {
    const answer = forwardAuthAnswer({ outcome: 'sign-in' }, caddyPage, site);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(
      `https://rise.example.com/api/proxy/authorize?host=app.example.com&return=%2Fx&state=${state}`,
    );
    expect(answer.headers['set-cookie']).toBe(
      `__Host-rise_app_state=${state}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(answer.headers['set-cookie']).not.toMatch(/domain=/i);
  });

  it('uses plain cookie names without Secure when TLS is off (the *.localhost layout)', () => {
    const local = { riseUrl: 'http://localhost:3000', tlsMode: 'off' as const, handshakeState: state };
    const answer = forwardAuthAnswer(
      { outcome: 'sign-in' },
      { ...caddyPage, host: 'shop.localhost:8080' },
      local,
    );
    expect(answer.headers.location).toBe(
      `http://localhost:3000/api/proxy/authorize?host=shop.localhost%3A8080&return=%2Fx&state=${state}`,
    );
    expect(answer.headers['set-cookie']).toBe(
      `rise_app_state=${state}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax`,
    );
  });

  it('returns to / when the original URI is not a safe same-host path', () => {
    for (const uri of ['//evil.com/x', '/\\evil.com', 'https://evil.com/']) {
      const location = forwardAuthAnswer({ outcome: 'sign-in' }, { ...caddyPage, uri }, site).headers
        .location!;
      expect(new URL(location).searchParams.get('return')).toBe('/');
    }
  });

  it('tells the proxy to remove an Authorization header Rise consumed', () => {
    const answer = forwardAuthAnswer(
      { outcome: 'allow', user: 'ada', consumedAuthorization: true },
      caddyPage,
      site,
    );
    expect(answer.headers).toEqual({ 'x-rise-user': 'ada', 'x-rise-consumed': 'authorization' });
  });

  it('answers ingress-nginx only with codes it accepts (2xx, 401, 403); its auth-signin redirects', () => {
    expect(forwardAuthAnswer({ outcome: 'sign-in' }, nginxPage, site).status).toBe(401);
    expect(forwardAuthAnswer({ outcome: 'unknown-host' }, nginxPage, site).status).toBe(403);
    expect(forwardAuthAnswer({ outcome: 'forbidden' }, nginxPage, site).status).toBe(403);
    expect(
      forwardAuthAnswer({ outcome: 'allow', user: 'ada', consumedAuthorization: false }, nginxPage, site),
    ).toEqual({
      status: 200,
      headers: { 'x-rise-user': 'ada' },
      body: null,
    });
  });

  it("hands ingress-nginx the request's Authorization and Cookie back without Rise's credentials", () => {
    const request = {
      ...nginxPage,
      authorization: 'Basic YTpi',
      cookie: 'rise_app_session=jwt; theme=dark; __Host-rise_app_state=s; rise.session-token=t; lang=en',
    };
    const allow = { outcome: 'allow' as const, user: 'ada', consumedAuthorization: false };
    expect(forwardAuthAnswer(allow, request, site).headers).toEqual({
      'x-rise-user': 'ada',
      authorization: 'Basic YTpi',
      cookie: 'theme=dark; lang=en',
    });
    // Rise's token: consumed, so not handed back (nginx then sends no Authorization to the app).
    const consumed = forwardAuthAnswer(
      { ...allow, consumedAuthorization: true },
      { ...request, authorization: 'Bearer rise_abc', cookie: 'rise_app_session=jwt' },
      site,
    );
    expect(consumed.headers).toEqual({ 'x-rise-user': 'ada', 'x-rise-consumed': 'authorization' });
  });

  it('keeps 404 for an unknown host and 401 for API clients behind Caddy', () => {
    expect(forwardAuthAnswer({ outcome: 'unknown-host' }, caddyPage, site).status).toBe(404);
    expect(forwardAuthAnswer({ outcome: 'sign-in' }, { ...caddyPage, wantsPage: false }, site).status).toBe(
      401,
    );
  });
});

describe('handshakeStart', () => {
  it("is exactly Caddy's sign-in answer (ingress-nginx reaches it through /.rise/auth/start)", () => {
    const request = { host: 'app.example.com', uri: '/x?y=1' };
    expect(handshakeStart(request, site)).toEqual(
      forwardAuthAnswer({ outcome: 'sign-in' }, { ...request, proxy: 'caddy', wantsPage: true }, site),
    );
  });
});

describe('signinReturnPath', () => {
  it("takes the path and query of ingress-nginx's rd on the same host, else /", () => {
    expect(signinReturnPath('https://app.example.com/a/b?c=1&d=2', 'app.example.com')).toBe('/a/b?c=1&d=2');
    expect(signinReturnPath('https://APP.example.com/a', 'app.example.com')).toBe('/a');
    expect(signinReturnPath('https://evil.example.com/a', 'app.example.com')).toBe('/');
    expect(signinReturnPath('/relative', 'app.example.com')).toBe('/');
    expect(signinReturnPath(null, 'app.example.com')).toBe('/');
  });
});

describe('withoutRiseCookies', () => {
  it("removes Rise's cookies wherever they are and keeps the app's", () => {
    expect(withoutRiseCookies('a=1; rise_app_session=x; b=2')).toBe('a=1; b=2');
    expect(withoutRiseCookies('rise_app_session=x;rise_app_state=y')).toBe('');
    expect(withoutRiseCookies('__Secure-authjs.csrf-token=z; c=3')).toBe('c=3');
    expect(withoutRiseCookies('my_rise_app_session=keep')).toBe('my_rise_app_session=keep');
    expect(withoutRiseCookies(null)).toBe('');
  });
});
