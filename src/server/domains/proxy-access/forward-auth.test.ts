import { describe, expect, it } from 'vitest';
import { forwardAuthAnswer, forwardAuthRequest } from './forward-auth';

const site = { riseUrl: 'https://rise.example.com', tlsMode: 'acme' as const };

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

  it('sends a browser behind Caddy to sign-in and back', () => {
    const answer = forwardAuthAnswer({ outcome: 'sign-in' }, caddyPage, site);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(
      'https://rise.example.com/signin?callbackUrl=https%3A%2F%2Fapp.example.com%2Fx',
    );
  });

  it('answers ingress-nginx only with codes it accepts (2xx, 401, 403); its auth-signin redirects', () => {
    expect(forwardAuthAnswer({ outcome: 'sign-in' }, nginxPage, site).status).toBe(401);
    expect(forwardAuthAnswer({ outcome: 'unknown-host' }, nginxPage, site).status).toBe(403);
    expect(forwardAuthAnswer({ outcome: 'forbidden' }, nginxPage, site).status).toBe(403);
    expect(forwardAuthAnswer({ outcome: 'allow', user: 'ada' }, nginxPage, site)).toEqual({
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
