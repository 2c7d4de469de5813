import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { caddyProxyConfig, riseUrlServedByProxy } from './index';
import {
  arrangeRoutes,
  buildBaseRoutes,
  buildDashboardRoute,
  buildDomainChallengeRoute,
  buildNotFoundRoute,
  buildProjectRoute,
  buildServer,
  buildTlsPolicy,
  type CaddyObject,
  DASHBOARD_ROUTE_ID,
  DOMAIN_CHALLENGE_ROUTE_ID,
  HTTPS_REDIRECT_ROUTE_ID,
  httpAppPorts,
  NOT_FOUND_ROUTE_ID,
  normaliseRoute,
  projectFromRouteId,
  projectRouteId,
  RISE_BEARER_PATTERN,
  RISE_COOKIE_PATTERN,
  type ServerSettings,
  stoppedPage,
  tlsAskUrl,
} from './routes';
import type { ProjectRoute } from './types';

const running: ProjectRoute = {
  project: 'shop',
  hosts: ['shop.rise.dev', 'www.example.com'],
  state: 'running',
  upstream: '127.0.0.1:20002',
  healthPath: '/healthz',
  visibility: 'public',
  activeDeploymentId: null,
  port: 8080,
};
const options = { authUpstream: '127.0.0.1:3000' };
const settings: ServerSettings = {
  httpPort: 80,
  httpsPort: 443,
  tlsMode: 'off',
  riseUrl: 'http://127.0.0.1:3000',
};

const buildDashboardRouteFor = (host: string, upstream: string) => buildDashboardRoute({ host, upstream });
const handlers = (route: CaddyObject) => (route.handle as CaddyObject[]).map((handler) => handler.handler);

describe('project route ids', () => {
  it('are stable and map back to the project', () => {
    expect(projectRouteId('shop')).toBe('rise-project-shop');
    expect(projectFromRouteId('rise-project-shop')).toBe('shop');
    expect(projectFromRouteId('rise-project-')).toBeNull();
    expect(projectFromRouteId('rise-dashboard')).toBeNull();
    expect(projectFromRouteId(undefined)).toBeNull();
  });
});

describe('running project route', () => {
  const route = buildProjectRoute(running, options);

  it('matches the hosts and proxies to the active slot only, with kept-alive connections and no health checks', () => {
    expect(route['@id']).toBe('rise-project-shop');
    expect(route.terminal).toBe(true);
    expect(route.match).toEqual([{ host: ['shop.rise.dev', 'www.example.com'] }]);
    expect(handlers(route)).toEqual(['headers', 'subroute', 'reverse_proxy']);
    const proxy = (route.handle as CaddyObject[])[2]!;
    expect(proxy).toEqual({
      handler: 'reverse_proxy',
      upstreams: [{ dial: '127.0.0.1:20002' }],
      transport: { protocol: 'http', keep_alive: { idle_timeout: '1s', max_idle_conns_per_host: 128 } },
      load_balancing: { try_duration: '5s', try_interval: '100ms' },
    });
  });

  it('balances over every routed web replica, retrying a GET on another when one fails', () => {
    const replicated = buildProjectRoute(
      { ...running, replicaUpstreams: ['127.0.0.1:20005', '127.0.0.1:20006'] },
      options,
    );
    const proxy = (replicated.handle as CaddyObject[])[2]!;
    expect(proxy.upstreams).toEqual([
      { dial: '127.0.0.1:20002' },
      { dial: '127.0.0.1:20005' },
      { dial: '127.0.0.1:20006' },
    ]);
    expect(proxy.load_balancing).toEqual({ try_duration: '5s', try_interval: '100ms' });
  });

  it('refuses a running route without an upstream', () => {
    expect(() => buildProjectRoute({ ...running, upstream: null }, options)).toThrow(/no upstream/);
  });

  it('strips a client X-Rise-User and names the project in responses', () => {
    expect((route.handle as CaddyObject[])[0]).toEqual({
      handler: 'headers',
      request: { delete: ['X-Rise-User'] },
      response: { set: { 'X-Rise-Project': ['shop'] }, deferred: true },
    });
  });

  it('does not depend on the order or case of hosts', () => {
    const shuffled = buildProjectRoute(
      { ...running, hosts: ['WWW.example.com', 'shop.rise.dev', 'www.example.com'] },
      options,
    );
    expect(normaliseRoute(shuffled)).toBe(normaliseRoute(route));
  });

  it('changes when traffic moves to the other slot, not when only the health path changes', () => {
    const switched = buildProjectRoute({ ...running, upstream: '127.0.0.1:20001' }, options);
    expect(normaliseRoute(switched)).not.toBe(normaliseRoute(route));
    // Caddy does not check health: a new health path is no reason to reload its config.
    const health = buildProjectRoute({ ...running, healthPath: '/' }, options);
    expect(normaliseRoute(health)).toBe(normaliseRoute(route));
  });

  it('is the same stopped page whatever the upstream', () => {
    const stopped = buildProjectRoute({ ...running, state: 'stopped', upstream: null }, options);
    const stoppedWithSlot = buildProjectRoute({ ...running, state: 'stopped' }, options);
    expect(normaliseRoute(stopped)).toBe(normaliseRoute(stoppedWithSlot));
  });
});

describe("stripping Rise's credentials before the app", () => {
  const strip = (route: CaddyObject) =>
    (route.handle as CaddyObject[]).find(
      (handler) => handler.handler === 'subroute' && JSON.stringify(handler).includes('Cookie'),
    );
  const cookiePattern = new RegExp(RISE_COOKIE_PATTERN, 'g');
  // What Caddy does with the two replacements (Go's RE2 and JavaScript agree on these patterns).
  const stripCookies = (header: string) => header.replace(cookiePattern, '').replace(/^[; \t]+/, '');

  it('happens on public and private routes, right before the app', () => {
    for (const visibility of ['public', 'private'] as const) {
      const route = buildProjectRoute({ ...running, visibility }, options);
      const handle = route.handle as CaddyObject[];
      expect(handle.indexOf(strip(route)!)).toBe(handle.length - 2);
    }
  });

  it("removes Rise's session, Auth.js and app-session cookies and keeps the app's own", () => {
    expect(
      stripCookies(
        'rise.session-token=s; theme=dark; __Secure-rise.session-token=t; authjs.csrf-token=c; ' +
          '__Host-authjs.csrf-token=h; __Secure-authjs.callback-url=u; rise_app_session=j; ' +
          '__Host-rise_app_session=k; rise_app_state=x; lang=en',
      ),
    ).toBe('theme=dark; lang=en');
    expect(stripCookies('theme=dark;rise.session-token=s')).toBe('theme=dark');
    expect(stripCookies('myrise.session-token=1; rise.session-tokens=2')).toBe(
      'myrise.session-token=1; rise.session-tokens=2',
    );
    expect(stripCookies('rise.session-token=s')).toBe('');
  });

  it('deletes a Rise API token in Authorization and an emptied Cookie header', () => {
    const routes = strip(buildProjectRoute(running, options))!.routes as CaddyObject[];
    expect(routes[0]).toEqual({
      match: [{ header_regexp: { Authorization: { pattern: RISE_BEARER_PATTERN } } }],
      handle: [{ handler: 'headers', request: { delete: ['Authorization'] } }],
    });
    const bearer = new RegExp(RISE_BEARER_PATTERN.replace('(?i:bearer)', '[Bb][Ee][Aa][Rr][Ee][Rr]'));
    expect(bearer.test('Bearer rise_abc')).toBe(true);
    expect(bearer.test('bearer  rise_abc')).toBe(true);
    expect(bearer.test('Bearer app-token')).toBe(false);
    expect(bearer.test('Basic cmlzZV86eA==')).toBe(false);
    expect(routes[2]).toEqual({
      match: [{ header_regexp: { Cookie: { pattern: '^[; \\t]*$' } } }],
      handle: [{ handler: 'headers', request: { delete: ['Cookie'] } }],
    });
  });

  it('has no braces in patterns (Caddy would read them as placeholders)', () => {
    expect(RISE_COOKIE_PATTERN + RISE_BEARER_PATTERN).not.toMatch(/[{}]/);
  });
});

describe('stopped project route', () => {
  const route = buildProjectRoute({ ...running, state: 'stopped' }, options);

  it('answers 503 with a small HTML page and no proxy', () => {
    expect(handlers(route)).toEqual(['headers', 'static_response']);
    const response = (route.handle as CaddyObject[])[1]!;
    expect(response.status_code).toBe(503);
    expect(response.headers).toEqual({
      'Content-Type': ['text/html; charset=utf-8'],
      'Retry-After': ['60'],
      'Cache-Control': ['no-store'],
    });
    expect(response.body).toContain('shop is stopped');
    expect(response.body).toMatch(/^<!doctype html>/);
  });

  it('has no braces (Caddy would read them as placeholders) and escapes the name', () => {
    expect(stoppedPage('a<b>{c}')).not.toMatch(/[{}]|<b>/);
    expect(stoppedPage('a<b>{c}')).toContain('a&lt;b&gt;&#123;c&#125; is stopped');
  });

  it('does not forward-auth even when private', () => {
    const privateStopped = buildProjectRoute(
      { ...running, state: 'stopped', visibility: 'private' },
      options,
    );
    expect(normaliseRoute(privateStopped)).toBe(normaliseRoute(route));
  });
});

describe('private project route', () => {
  const route = buildProjectRoute({ ...running, visibility: 'private' }, options);
  const [, handshake, auth, , app] = route.handle as CaddyObject[];

  it("sends the sign-in handshake's paths to Rise before forward-auth", () => {
    expect(handshake).toEqual({
      handler: 'subroute',
      routes: [
        {
          match: [{ path: ['/.rise/auth/*'] }],
          handle: [
            {
              handler: 'reverse_proxy',
              upstreams: [{ dial: '127.0.0.1:3000' }],
              rewrite: { path_regexp: [{ find: '^/\\.rise/auth/', replace: '/api/proxy/app-auth/' }] },
              headers: { request: { set: { 'X-Forwarded-Host': ['{http.request.hostport}'] } } },
            },
          ],
          terminal: true,
        },
      ],
    });
  });

  it('asks Rise before proxying to the app', () => {
    expect(handlers(route)).toEqual(['headers', 'subroute', 'reverse_proxy', 'subroute', 'reverse_proxy']);
    expect(auth!.upstreams).toEqual([{ dial: '127.0.0.1:3000' }]);
    expect(auth!.rewrite).toEqual({ method: 'GET', uri: '/api/proxy/auth' });
    expect(auth!.headers).toEqual({
      request: {
        set: {
          'X-Forwarded-Method': ['{http.request.method}'],
          'X-Forwarded-Uri': ['{http.request.uri}'],
          'X-Forwarded-Host': ['{http.request.hostport}'],
        },
      },
    });
    expect(app!.upstreams).toEqual([{ dial: '127.0.0.1:20002' }]);
  });

  it('copies X-Rise-User on 2xx only, deleting it first and setting it only when present', () => {
    expect(auth!.handle_response).toEqual([
      {
        match: { status_code: [2] },
        routes: [
          { handle: [{ handler: 'headers', request: { delete: ['X-Rise-User'] } }] },
          {
            match: [{ not: [{ vars: { '{http.reverse_proxy.header.X-Rise-User}': ['', '<nil>'] } }] }],
            handle: [
              {
                handler: 'headers',
                request: { set: { 'X-Rise-User': ['{http.reverse_proxy.header.X-Rise-User}'] } },
              },
            ],
          },
          {
            match: [{ vars: { '{http.reverse_proxy.header.X-Rise-Consumed}': ['authorization'] } }],
            handle: [{ handler: 'headers', request: { delete: ['Authorization'] } }],
          },
        ],
      },
    ]);
  });
});

describe('normaliseRoute', () => {
  it('ignores key order and undefined keys, not array order', () => {
    expect(normaliseRoute({ b: 1, a: { d: [2, 1], c: undefined } })).toBe(
      normaliseRoute({ a: { d: [2, 1] }, b: 1 }),
    );
    expect(normaliseRoute({ a: [1, 2] })).not.toBe(normaliseRoute({ a: [2, 1] }));
  });

  it('equals a route after a JSON round trip through Caddy-like escaping', () => {
    const route = buildProjectRoute({ ...running, state: 'stopped' }, options);
    const caddyText = JSON.stringify(JSON.parse(normaliseRoute(route))).replace(/</g, '\\u003c');
    expect(normaliseRoute(JSON.parse(caddyText))).toBe(normaliseRoute(route));
  });
});

describe('server', () => {
  it('listens on the HTTP port only with automatic HTTPS disabled when TLS is off', () => {
    expect(buildServer(settings)).toEqual({
      listen: [':80'],
      automatic_https: { disable: true },
      routes: [buildNotFoundRoute()],
    });
    expect(buildTlsPolicy('off')).toBeNull();
    expect(httpAppPorts(settings)).toBeNull();
  });

  it('listens on both ports with an HTTP→HTTPS redirect first when TLS is on', () => {
    const tls = {
      ...settings,
      tlsMode: 'internal' as const,
      httpPort: 8080,
      httpsPort: 8443,
      bindHost: '127.0.0.1',
    };
    const server = buildServer(tls);
    expect(server.listen).toEqual(['127.0.0.1:8080', '127.0.0.1:8443']);
    expect(server.automatic_https).toBeUndefined();
    expect(server.routes).toEqual([
      {
        '@id': HTTPS_REDIRECT_ROUTE_ID,
        match: [{ protocol: 'http' }],
        handle: [
          {
            handler: 'static_response',
            status_code: 308,
            headers: { Location: ['https://{http.request.host}:8443{http.request.uri}'] },
          },
        ],
        terminal: true,
      },
      buildNotFoundRoute(),
    ]);
    expect(httpAppPorts(tls)).toEqual({ http_port: 8080, https_port: 8443 });
  });

  it('puts the challenge, redirect and dashboard routes first and the not-found route last', () => {
    const routes = buildBaseRoutes({
      ...settings,
      tlsMode: 'acme',
      dashboard: { host: 'Rise.example.com', upstream: '127.0.0.1:3000' },
      challengeUpstream: '127.0.0.1:3000',
    });
    expect(routes.map((route) => route['@id'])).toEqual([
      DOMAIN_CHALLENGE_ROUTE_ID,
      HTTPS_REDIRECT_ROUTE_ID,
      DASHBOARD_ROUTE_ID,
      NOT_FOUND_ROUTE_ID,
    ]);
    expect(routes[3]).toMatchObject({ handle: [{ handler: 'static_response', status_code: 404 }] });
    expect(routes[1]!.handle).toEqual([
      expect.objectContaining({ headers: { Location: ['https://{http.request.host}{http.request.uri}'] } }),
    ]);
    expect(routes[2]).toEqual({
      '@id': DASHBOARD_ROUTE_ID,
      match: [{ host: ['rise.example.com'] }],
      handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: '127.0.0.1:3000' }] }],
      terminal: true,
    });
  });

  it('sends /.well-known/rise-challenge/<token> on any host to Rise, keeping the Host', () => {
    expect(buildDomainChallengeRoute('127.0.0.1:3000')).toEqual({
      '@id': DOMAIN_CHALLENGE_ROUTE_ID,
      match: [{ path: ['/.well-known/rise-challenge/*'], method: ['GET', 'HEAD'] }],
      handle: [
        { handler: 'rewrite', strip_path_prefix: '/.well-known/rise-challenge' },
        { handler: 'rewrite', uri: '/api/proxy/domain-challenge{http.request.uri.path}' },
        { handler: 'reverse_proxy', upstreams: [{ dial: '127.0.0.1:3000' }] },
      ],
      terminal: true,
    });
  });

  it('arranges routes: head routes before every project route, others kept in order, not-found last', () => {
    const withDashboard: ServerSettings = {
      ...settings,
      dashboard: { host: 'rise.example.com', upstream: '127.0.0.1:3000' },
      challengeUpstream: '127.0.0.1:3000',
    };
    const stale = buildDashboardRouteFor('rise.example.com', '127.0.0.1:9');
    // As an older Rise left it: project routes before the dashboard, one of them claiming Rise's host.
    const current = [
      buildProjectRoute({ ...running, project: 'evil', hosts: ['rise.example.com'] }, options),
      buildProjectRoute(running, options),
      stale,
      buildNotFoundRoute(),
      { '@id': 'operator-route', handle: [] },
    ];
    const arranged = arrangeRoutes(current, withDashboard) as CaddyObject[];
    expect(arranged.map((route) => route['@id'])).toEqual([
      DOMAIN_CHALLENGE_ROUTE_ID,
      DASHBOARD_ROUTE_ID,
      'rise-project-evil',
      'rise-project-shop',
      'operator-route',
      NOT_FOUND_ROUTE_ID,
    ]);
    // The dashboard route is rebuilt from the settings, not kept as found.
    expect(arranged[1]).toEqual(buildBaseRoutes(withDashboard)[1]);
    // Already arranged: nothing changes (so ensureServer writes nothing).
    expect(normaliseRoute(arrangeRoutes(arranged, withDashboard))).toBe(normaliseRoute(arranged));
    // Without a dashboard (RISE_URL not served by the proxy) a stale dashboard route is dropped.
    expect((arrangeRoutes(current, settings) as CaddyObject[]).map((route) => route['@id'])).toEqual([
      'rise-project-evil',
      'rise-project-shop',
      'operator-route',
      NOT_FOUND_ROUTE_ID,
    ]);
  });

  it('issues certificates on demand from the internal CA or ACME, asking Rise first', () => {
    expect(buildTlsPolicy('internal')).toEqual({
      '@id': 'rise-tls-policy',
      issuers: [{ module: 'internal' }],
      on_demand: true,
    });
    expect(buildTlsPolicy('acme')).toEqual({
      '@id': 'rise-tls-policy',
      issuers: [{ module: 'acme' }],
      on_demand: true,
    });
    expect(tlsAskUrl('https://rise.example.com/')).toBe('https://rise.example.com/api/proxy/tls-allowed');
  });
});

describe('caddyProxyConfig (from the environment)', () => {
  it('reaches the web server at RISE_INTERNAL_URL: by default RISE_URL when that is the web server', () => {
    const config = caddyProxyConfig(
      parseEnv({ RISE_URL: 'http://127.0.0.1:3000', RISE_PROXY_HTTP_PORT: '8080' }),
    );
    expect(config).toMatchObject({
      adminUrl: 'http://127.0.0.1:2019',
      httpPort: 8080,
      httpsPort: 443,
      tlsMode: 'off',
      riseUrl: 'http://localhost:3000',
      authUpstream: 'localhost:3000',
    });
    // Behind Caddy: where the web server binds, a wildcard bind address on loopback.
    const behind = { RISE_URL: 'https://rise.example.com', RISE_BASE_DOMAIN: 'example.com' };
    expect(caddyProxyConfig(parseEnv({ ...behind, RISE_HOST: '0.0.0.0', PORT: '4000' })).authUpstream).toBe(
      '127.0.0.1:4000',
    );
    expect(caddyProxyConfig(parseEnv({ ...behind, RISE_HOST: '::' })).authUpstream).toBe('[::1]:3000');
  });

  it('never dials RISE_URL, which inside a Caddy container may be Caddy itself (compose)', () => {
    // The compose stack's defaults before the fix: RISE_URL on the web server's published port, RISE_HOST
    // the bind address. Caddy (a container) must dial web:3000, not localhost:3000.
    const compose = caddyProxyConfig(
      parseEnv({ RISE_URL: 'http://localhost:3000', RISE_INTERNAL_URL: 'http://web:3000' }),
    );
    expect(compose).toMatchObject({
      riseUrl: 'http://web:3000',
      authUpstream: 'web:3000',
      dashboard: { host: 'localhost', upstream: 'web:3000' },
    });
    expect(tlsAskUrl(compose.riseUrl)).toBe('http://web:3000/api/proxy/tls-allowed');
    const production = caddyProxyConfig(
      parseEnv({
        RISE_URL: 'https://rise.example.com',
        RISE_BASE_DOMAIN: 'example.com',
        RISE_INTERNAL_URL: 'http://web:3000/',
      }),
    );
    expect(production).toMatchObject({
      tlsMode: 'acme',
      riseUrl: 'http://web:3000',
      authUpstream: 'web:3000',
      dashboard: { host: 'rise.example.com', upstream: 'web:3000' },
    });
  });

  it("routes RISE_URL's host to the dashboard whatever its port: Rise cannot see published ports", () => {
    // Caddy listens on 80 in its container, published as 8081 on the host; before, no port matched, so
    // there was no dashboard route at all (404 through Caddy).
    for (const riseUrl of [
      'http://rise.localhost:8081',
      'http://localhost:3000',
      'https://rise.example.com',
    ]) {
      const config = caddyProxyConfig(parseEnv({ RISE_URL: riseUrl, RISE_INTERNAL_URL: 'http://web:3000' }));
      expect(config.dashboard, riseUrl).toEqual({ host: new URL(riseUrl).hostname, upstream: 'web:3000' });
    }
  });

  it('tells whether RISE_URL is reached through Caddy, published port included', () => {
    expect(riseUrlServedByProxy(parseEnv({ RISE_URL: 'http://localhost:3000' }))).toBe(false);
    expect(riseUrlServedByProxy(parseEnv({ RISE_URL: 'https://rise.example.com' }))).toBe(true);
    expect(riseUrlServedByProxy(parseEnv({ RISE_URL: 'http://rise.localhost' }))).toBe(true);
    expect(
      riseUrlServedByProxy(parseEnv({ RISE_URL: 'http://rise.localhost:8081', RISE_APPS_PORT: '8081' })),
    ).toBe(true);
    expect(riseUrlServedByProxy(parseEnv({ RISE_URL: 'http://rise.localhost:8081' }))).toBe(false);
  });
});

describe('Caddy behind an edge that owns the public ports (npm start)', () => {
  const behind = caddyProxyConfig(
    parseEnv({
      RISE_URL: 'http://127.0.0.1:3000',
      RISE_PROXY_HTTP_PORT: '8080',
      RISE_PROXY_BIND_HOST: '0.0.0.0',
      RISE_PROXY_LISTEN_HTTP_PORT: '41001',
      RISE_PROXY_LISTEN_HTTPS_PORT: '41002',
      RISE_TLS_MODE: 'internal',
    }),
  );

  it('listens on the internal ports on loopback, while redirects name the public HTTPS port', () => {
    expect(behind).toMatchObject({ httpPort: 8080, httpsPort: 443, bindHost: '127.0.0.1' });
    const server = buildServer(behind);
    expect(server.listen).toEqual(['127.0.0.1:41001', '127.0.0.1:41002']);
    expect(httpAppPorts(behind)).toEqual({ http_port: 41001, https_port: 41002 });
    const redirect = (server.routes as CaddyObject[]).find(
      (route) => route['@id'] === HTTPS_REDIRECT_ROUTE_ID,
    );
    expect(JSON.stringify(redirect)).toContain('https://{http.request.host}{http.request.uri}');
  });

  it("passes the edge's X-Forwarded-* headers to apps; without an edge Caddy replaces them", () => {
    const appProxy = (route: CaddyObject) =>
      (route.handle as CaddyObject[]).find((handler) => handler.handler === 'reverse_proxy');
    expect(
      appProxy(buildProjectRoute(running, { authUpstream: 'x', trustedProxies: behind.trustedProxies })),
    ).toMatchObject({ trusted_proxies: ['127.0.0.1/32'] });
    expect(appProxy(buildProjectRoute(running, options))).not.toHaveProperty('trusted_proxies');
    const direct = caddyProxyConfig(
      parseEnv({ RISE_PROXY_BIND_HOST: '0.0.0.0', RISE_PROXY_HTTP_PORT: '8080' }),
    );
    expect(direct.trustedProxies).toBeUndefined();
    expect(buildServer(direct).listen).toEqual(['0.0.0.0:8080']);
  });

  it("trusts the compose edge's network for apps and the dashboard; Caddy keeps listening everywhere", () => {
    const compose = caddyProxyConfig(
      parseEnv({
        RISE_URL: 'http://rise.example.com',
        RISE_INTERNAL_URL: 'http://web:3000',
        RISE_PROXY_TRUSTED_PROXIES: '10.212.0.0/29',
      }),
    );
    expect(compose.bindHost).toBeUndefined();
    const appProxy = (route: CaddyObject) =>
      (route.handle as CaddyObject[]).find((handler) => handler.handler === 'reverse_proxy');
    expect(
      appProxy(buildProjectRoute(running, { authUpstream: 'x', trustedProxies: compose.trustedProxies })),
    ).toMatchObject({ trusted_proxies: ['10.212.0.0/29'] });
    const dashboard = buildServer(compose).routes as CaddyObject[];
    expect(dashboard.find((route) => route['@id'] === DASHBOARD_ROUTE_ID)).toMatchObject({
      handle: [
        { handler: 'reverse_proxy', upstreams: [{ dial: 'web:3000' }], trusted_proxies: ['10.212.0.0/29'] },
      ],
    });
  });
});
