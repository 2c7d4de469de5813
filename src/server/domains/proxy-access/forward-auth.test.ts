import { describe, expect, it } from 'vitest';
import { forwardAuthAnswer, forwardAuthRequest } from './forward-auth';

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

  it("reads ingress-nginx's X-Original-URL", () => {
    const headers = new Headers({
      'x-original-url': 'https://app.example.com/a?b=1',
      accept: 'text/html,application/xhtml+xml',
    });
    expect(forwardAuthRequest(headers)).toEqual({
      host: 'app.example.com',
      uri: '/a?b=1',
      proxy: 'nginx',
      wantsPage: true,
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

  it('keeps 404 for an unknown host and 401 for API clients behind Caddy', () => {
    expect(forwardAuthAnswer({ outcome: 'unknown-host' }, caddyPage, site).status).toBe(404);
    expect(forwardAuthAnswer({ outcome: 'sign-in' }, { ...caddyPage, wantsPage: false }, site).status).toBe(
      401,
    );
  });
});
