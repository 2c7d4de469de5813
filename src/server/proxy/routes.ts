/**
 * Pure builders of Caddy 2.6 JSON config for Rise: its HTTP server, TLS settings and one route per
 * project. No I/O here; `caddy-proxy.ts` sends the results through the admin API.
 */
import { type ProjectRoute, routeKey, type TlsMode } from './types';

/** A Caddy JSON value as the admin API stores and returns it. */
export type CaddyJson = null | boolean | number | string | CaddyJson[] | { [key: string]: CaddyJson };
export type CaddyObject = { [key: string]: CaddyJson };

/** Name of Rise's server under `apps.http.servers`. */
export const SERVER_NAME = 'rise';
export const PROJECT_ROUTE_PREFIX = 'rise-project-';
export const DASHBOARD_ROUTE_ID = 'rise-dashboard';
export const NOT_FOUND_ROUTE_ID = 'rise-not-found';
export const HTTPS_REDIRECT_ROUTE_ID = 'rise-https-redirect';
export const DOMAIN_CHALLENGE_ROUTE_ID = 'rise-domain-challenge';
export const TLS_POLICY_ID = 'rise-tls-policy';

/** The identity header Rise's forward-auth sets for private projects; never trusted from clients. */
export const USER_HEADER = 'X-Rise-User';
export const PROJECT_HEADER = 'X-Rise-Project';
export const AUTH_PATH = '/api/proxy/auth';
/** Paths of a private project's hosts that belong to Rise's sign-in handshake, and where Rise serves them. */
export const HANDSHAKE_PATH_PREFIX = '/.rise/auth/';
export const HANDSHAKE_UPSTREAM_PREFIX = '/api/proxy/app-auth/';
/** Header of a 2xx forward-auth answer: the request's `Authorization` was Rise's credential. */
export const CONSUMED_HEADER = 'X-Rise-Consumed';

/**
 * Cookies of Rise that must never reach an app: the dashboard session (`rise.session-token`, with
 * `__Secure-` under https), Auth.js's sign-in cookies (`authjs.*`, with `__Secure-`/`__Host-`) and the
 * app host's own sign-in and handshake cookies (`rise_app_session`, `rise_app_state`, `__Host-` under
 * https). RE2 syntax; matches one `name=value` pair with the `;` before it. No braces: Caddy would read
 * them as placeholders.
 */
export const RISE_COOKIE_PATTERN =
  '(^|;)[ \\t]*(__Secure-|__Host-)?(rise\\.session-token|authjs\\.[^=;]*|rise_app_session|rise_app_state)=[^;]*';
/** A Rise API token sent as a bearer credential (RE2, case-insensitive scheme). */
export const RISE_BEARER_PATTERN = '^[ \\t]*(?i:bearer)[ \\t]+rise_';
export const TLS_ALLOWED_PATH = '/api/proxy/tls-allowed';
/** Where a pending custom domain's HTTP proof is served, on any host (see domain-challenge.ts). */
export const DOMAIN_CHALLENGE_PATH = '/.well-known/rise-challenge/';
/** Rise's handler of that path. */
export const DOMAIN_CHALLENGE_HANDLER_PATH = '/api/proxy/domain-challenge/';

export type ServerSettings = {
  /** The public ports of apps (a redirect to HTTPS names `httpsPort`). */
  httpPort: number;
  httpsPort: number;
  /**
   * Where Caddy itself listens when something in front of it owns the public ports and forwards to
   * these (`npm start`'s edge, see platform/apps-edge.ts); default: the public ports.
   */
  listenHttpPort?: number;
  listenHttpsPort?: number;
  tlsMode: TlsMode;
  /** Base URL at which Caddy reaches Rise (for the on-demand TLS `ask`), e.g. http://127.0.0.1:3000. */
  riseUrl: string;
  /** Interface to listen on; empty = all interfaces (production). Tests pass 127.0.0.1. */
  bindHost?: string;
  /**
   * Rise's own dashboard behind the proxy. Its route comes before every project route, so no project
   * can answer for Rise's host (sign-in, session cookies, CLI tokens) whatever hosts it claims.
   */
  dashboard?: { host: string; upstream: string; trustedProxies?: string[] };
  /** Rise's web server as Caddy dials it, e.g. 127.0.0.1:3000: it answers custom-domain HTTP challenges. */
  challengeUpstream?: string;
};

/** Stable `@id` of a project's (or a group's) route, from its `routeKey`. */
export function projectRouteId(key: string): string {
  return `${PROJECT_ROUTE_PREFIX}${key}`;
}

/** The route key (`routeKey`) a route `@id` names, or null for routes that are not project routes. */
export function projectFromRouteId(id: unknown): string | null {
  if (typeof id !== 'string' || !id.startsWith(PROJECT_ROUTE_PREFIX)) return null;
  const project = id.slice(PROJECT_ROUTE_PREFIX.length);
  return project === '' ? null : project;
}

/**
 * Canonical JSON text of a config value (object keys sorted, `undefined` dropped), so that a route
 * built here compares equal to the same route read back from Caddy, which re-orders keys and escapes
 * HTML characters differently.
 */
export function normaliseRoute(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}

function listenAddress(bindHost: string | undefined, port: number): string {
  return `${bindHost ?? ''}:${port}`;
}

/**
 * `apps.http.servers.rise` as created when missing. In TLS modes it listens on both ports (Caddy
 * serves TLS on every listener but `apps.http.http_port`, see `httpAppPorts`) and starts with a
 * redirect of plain-HTTP requests to HTTPS, which Caddy's automatic redirects would not do for hosts
 * this server also serves on the HTTP port.
 */
export function buildServer(settings: ServerSettings): CaddyObject {
  return { ...buildServerSettings(settings), routes: buildBaseRoutes(settings) };
}

/** The server's own keys except `routes` (`automatic_https` is absent when TLS is on). */
export function buildServerSettings(settings: ServerSettings): CaddyObject {
  const ports = listenPorts(settings);
  const listen = [listenAddress(settings.bindHost, ports.http)];
  if (settings.tlsMode === 'off') return { listen, automatic_https: { disable: true } };
  listen.push(listenAddress(settings.bindHost, ports.https));
  return { listen };
}

/** The ports Caddy listens on: its own when it sits behind an edge, else the public ones. */
export function listenPorts(settings: ServerSettings): { http: number; https: number } {
  return {
    http: settings.listenHttpPort ?? settings.httpPort,
    https: settings.listenHttpsPort ?? settings.httpsPort,
  };
}

/**
 * Routes Rise keeps in its server besides project routes. The head (challenge, HTTPS redirect,
 * dashboard) comes before every project route, the tail (not-found) after them.
 */
export function buildBaseRoutes(settings: ServerSettings): CaddyObject[] {
  return [...buildHeadRoutes(settings), buildNotFoundRoute()];
}

/**
 * The base routes that precede project routes, in order: the domain challenge (plain HTTP, so before
 * the redirect to HTTPS, like ACME's), the HTTPS redirect, the dashboard.
 */
export function buildHeadRoutes(settings: ServerSettings): CaddyObject[] {
  const routes: CaddyObject[] = [];
  if (settings.challengeUpstream) routes.push(buildDomainChallengeRoute(settings.challengeUpstream));
  const redirect = buildHttpsRedirectRoute(settings);
  if (redirect) routes.push(redirect);
  if (settings.dashboard) routes.push(buildDashboardRoute(settings.dashboard));
  return routes;
}

/** Ids of the head routes, in their order; every one of them precedes every project route. */
export const HEAD_ROUTE_IDS: readonly string[] = [
  DOMAIN_CHALLENGE_ROUTE_ID,
  HTTPS_REDIRECT_ROUTE_ID,
  DASHBOARD_ROUTE_ID,
];

/**
 * GET /.well-known/rise-challenge/<token> on any host goes to Rise's challenge handler (Host kept),
 * which answers the token only for a pending domain with that token. Apps cannot use this path.
 */
export function buildDomainChallengeRoute(upstream: string): CaddyObject {
  return {
    '@id': DOMAIN_CHALLENGE_ROUTE_ID,
    match: [{ path: [`${DOMAIN_CHALLENGE_PATH}*`], method: ['GET', 'HEAD'] }],
    handle: [
      { handler: 'rewrite', strip_path_prefix: DOMAIN_CHALLENGE_PATH.replace(/\/$/, '') },
      {
        handler: 'rewrite',
        uri: `${DOMAIN_CHALLENGE_HANDLER_PATH.replace(/\/$/, '')}{http.request.uri.path}`,
      },
      { handler: 'reverse_proxy', upstreams: [{ dial: upstream }] },
    ],
    terminal: true,
  };
}

/**
 * Rise's routes as they must be: the head routes (as built now) first, then every other route (project
 * routes, an operator's own) in its current order, then the not-found route. Repairs an order left by
 * an older Rise, which put project routes before the dashboard's.
 */
export function arrangeRoutes(current: CaddyJson[], settings: ServerSettings): CaddyJson[] {
  const baseIds = new Set([...HEAD_ROUTE_IDS, NOT_FOUND_ROUTE_ID]);
  const middle = current.filter((route) => {
    const id = isCaddyObject(route) ? route['@id'] : undefined;
    return typeof id !== 'string' || !baseIds.has(id);
  });
  return [...buildHeadRoutes(settings), ...middle, buildNotFoundRoute()];
}

function isCaddyObject(value: CaddyJson | undefined): value is CaddyObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Hosts no project (or the dashboard) claims get a 404, not Caddy's default empty 200. */
export function buildNotFoundRoute(): CaddyObject {
  return {
    '@id': NOT_FOUND_ROUTE_ID,
    handle: [
      {
        handler: 'static_response',
        status_code: 404,
        headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
        body: 'No app is served at this address.\n',
      },
    ],
    terminal: true,
  };
}

/** In TLS modes, plain-HTTP requests get a 308 to the same URL on HTTPS (ACME HTTP challenges are answered before routes). */
export function buildHttpsRedirectRoute(settings: ServerSettings): CaddyObject | null {
  if (settings.tlsMode === 'off') return null;
  const port = settings.httpsPort === 443 ? '' : `:${settings.httpsPort}`;
  return {
    '@id': HTTPS_REDIRECT_ROUTE_ID,
    match: [{ protocol: 'http' }],
    handle: [
      {
        handler: 'static_response',
        status_code: 308,
        headers: { Location: [`https://{http.request.host}${port}{http.request.uri}`] },
      },
    ],
    terminal: true,
  };
}

export function buildDashboardRoute(dashboard: {
  host: string;
  upstream: string;
  trustedProxies?: string[];
}): CaddyObject {
  return {
    '@id': DASHBOARD_ROUTE_ID,
    match: [{ host: [dashboard.host.toLowerCase()] }],
    handle: [
      {
        handler: 'reverse_proxy',
        upstreams: [{ dial: dashboard.upstream }],
        ...(dashboard.trustedProxies?.length ? { trusted_proxies: dashboard.trustedProxies } : {}),
      },
    ],
    terminal: true,
  };
}

/**
 * Ports of the `http` app. Caddy enables TLS on every listener of a TLS server except the one on
 * `http_port`, and redirects to `https_port`; both default to 80/443, so they must match Rise's ports.
 * Null when TLS is off (nothing to align; the operator's values stay untouched).
 */
export function httpAppPorts(settings: ServerSettings): { http_port: number; https_port: number } | null {
  if (settings.tlsMode === 'off') return null;
  const ports = listenPorts(settings);
  return { http_port: ports.http, https_port: ports.https };
}

/**
 * Rise's catch-all TLS automation policy: certificates on demand (each host is checked first with
 * `tls.automation.on_demand.ask`), from Caddy's internal CA or from the default ACME CA.
 */
export function buildTlsPolicy(tlsMode: TlsMode): CaddyObject | null {
  if (tlsMode === 'off') return null;
  return {
    '@id': TLS_POLICY_ID,
    issuers: [{ module: tlsMode === 'internal' ? 'internal' : 'acme' }],
    on_demand: true,
  };
}

/** Caddy 2.6.2 calls `<ask>?domain=<host>` before obtaining a certificate (the key is `ask`, not `permission`). */
export function tlsAskUrl(riseUrl: string): string {
  return `${riseUrl.replace(/\/+$/, '')}${TLS_ALLOWED_PATH}`;
}

export type RouteOptions = {
  /** Rise's web server as Caddy dials it, e.g. 127.0.0.1:3000; answers forward-auth at /api/proxy/auth. */
  authUpstream: string;
  /**
   * Proxies in front of Caddy (CIDRs) whose X-Forwarded-For/-Proto/-Host apps receive as sent; from
   * anyone else Caddy replaces them. `npm start`'s edge on 127.0.0.1.
   */
  trustedProxies?: string[];
};

/**
 * One project's route. Running: a reverse proxy to the active instance's slot only, so traffic moves
 * exactly when Rise writes the route naming the new slot (after its own health check), and the old
 * instance is out of the path before it is stopped. Stopped: a 503 page. Private: forward-auth to Rise
 * before the app.
 */
export function buildProjectRoute(route: ProjectRoute, options: RouteOptions): CaddyObject {
  const handle: CaddyObject[] = [
    {
      handler: 'headers',
      // A client must never choose the identity the app sees; forward-auth sets it again below.
      request: { delete: [USER_HEADER] },
      // Deferred so that it applies to every answer (app, auth redirect, stopped page) and wins.
      response: { set: { [PROJECT_HEADER]: [route.project] }, deferred: true },
    },
  ];
  if (route.state === 'stopped') {
    handle.push(buildStoppedResponse(route.project));
  } else {
    if (route.visibility === 'private') {
      handle.push(buildHandshakeRoute(options.authUpstream), buildForwardAuth(options.authUpstream));
    }
    handle.push(buildCredentialStrip(), buildAppProxy(route, options.trustedProxies));
  }
  return {
    '@id': projectRouteId(routeKey(route)),
    match: [{ host: normaliseHosts(route.hosts) }],
    handle,
    terminal: true,
  };
}

/** Lower-cased, de-duplicated and sorted, so that the same set of hosts always gives the same JSON. */
export function normaliseHosts(hosts: string[]): string[] {
  return [...new Set(hosts.map((host) => host.trim().toLowerCase()).filter(Boolean))].sort();
}

/**
 * Caddy's pool of kept-alive connections to an app: an idle connection is closed after this long,
 * before the app closes it (gunicorn 2 s, Node and uvicorn 5 s). An app that closes a connection just
 * as Caddy sends a request on it makes that request fail, and Caddy 2.6 retries only GETs.
 */
export const UPSTREAM_IDLE_TIMEOUT = '1s';
/** Kept-alive connections per app; Caddy's default of 32 makes busier apps open and close connections. */
export const UPSTREAM_MAX_IDLE_CONNS = 128;

function buildAppProxy(route: ProjectRoute, trustedProxies: string[] | undefined): CaddyObject {
  if (!route.upstream) throw new Error(`project ${route.project} is running but has no upstream to route to`);
  return {
    handler: 'reverse_proxy',
    upstreams: [route.upstream, ...(route.replicaUpstreams ?? [])].map((dial) => ({ dial })),
    ...(trustedProxies?.length ? { trusted_proxies: trustedProxies } : {}),
    transport: {
      protocol: 'http',
      keep_alive: { idle_timeout: UPSTREAM_IDLE_TIMEOUT, max_idle_conns_per_host: UPSTREAM_MAX_IDLE_CONNS },
    },
    // A refused connection (the app restarting after a crash) is tried again for a while; Caddy 2.6
    // retries other failures only for GETs, and a request that reached the app is never sent twice.
    load_balancing: { try_duration: '5s', try_interval: '100ms' },
    // No health checks: the only upstream is the instance Rise checked before it switched traffic to
    // it, and Rise's reconciler restarts a crashed one. A check would only cost CPU on every project
    // every interval, and mark a healthy app down when a loaded host answers it late (Caddy 2.6 takes
    // an upstream out after one failed check). Passive checks would also count the failed retry of a
    // POST against the app.
  };
}

/**
 * What Caddy's `forward_auth` directive expands to, for Rise's `/api/proxy/auth`: a GET with the
 * original method, URI and host in headers; a 2xx answer continues to the app with `X-Rise-User`
 * copied, any other answer (401, 403, 302 to sign-in) goes to the client as is; an unreachable auth
 * server gives 502, so access fails closed.
 *
 * Caddy 2.6.2 sends the literal placeholder text when the auth answer lacks the copied header, so the
 * header is deleted first and set only when the placeholder has a value. The `vars` matcher reads an
 * unknown placeholder as Go's `<nil>` (measured), hence both values in the match.
 */
function buildForwardAuth(authUpstream: string): CaddyObject {
  const copied = `{http.reverse_proxy.header.${USER_HEADER}}`;
  return {
    handler: 'reverse_proxy',
    upstreams: [{ dial: authUpstream }],
    rewrite: { method: 'GET', uri: AUTH_PATH },
    headers: {
      request: {
        set: {
          'X-Forwarded-Method': ['{http.request.method}'],
          'X-Forwarded-Uri': ['{http.request.uri}'],
          // With the port (e.g. app.localhost:8080), for Rise's sign-in callback URL.
          'X-Forwarded-Host': ['{http.request.hostport}'],
        },
      },
    },
    handle_response: [
      {
        match: { status_code: [2] },
        routes: [
          { handle: [{ handler: 'headers', request: { delete: [USER_HEADER] } }] },
          {
            match: [{ not: [{ vars: { [copied]: ['', '<nil>'] } }] }],
            handle: [{ handler: 'headers', request: { set: { [USER_HEADER]: [copied] } } }],
          },
          {
            // Rise consumed the bearer credential (an API token or a trusted-issuer JWT): not the app's.
            match: [{ vars: { [`{http.reverse_proxy.header.${CONSUMED_HEADER}}`]: ['authorization'] } }],
            handle: [{ handler: 'headers', request: { delete: ['Authorization'] } }],
          },
        ],
      },
    ],
  };
}

/**
 * `/.rise/auth/*` on a private project's hosts goes to Rise (the handshake that sets the host's
 * app-session cookie), before forward-auth and never to the app, so the app never sees a code.
 */
function buildHandshakeRoute(authUpstream: string): CaddyObject {
  return {
    handler: 'subroute',
    routes: [
      {
        match: [{ path: [`${HANDSHAKE_PATH_PREFIX}*`] }],
        handle: [
          {
            handler: 'reverse_proxy',
            upstreams: [{ dial: authUpstream }],
            rewrite: {
              path_regexp: [
                {
                  find: `^${HANDSHAKE_PATH_PREFIX.replaceAll('.', '\\.')}`,
                  replace: HANDSHAKE_UPSTREAM_PREFIX,
                },
              ],
            },
            headers: { request: { set: { 'X-Forwarded-Host': ['{http.request.hostport}'] } } },
          },
        ],
        terminal: true,
      },
    ],
  };
}

/**
 * Removes Rise's credentials before a request reaches an app, public or private: a Rise API token in
 * `Authorization` and Rise's cookies (see RISE_COOKIE_PATTERN); the app's own cookies pass untouched.
 * A `Cookie` header left empty is removed.
 */
function buildCredentialStrip(): CaddyObject {
  return {
    handler: 'subroute',
    routes: [
      {
        match: [{ header_regexp: { Authorization: { pattern: RISE_BEARER_PATTERN } } }],
        handle: [{ handler: 'headers', request: { delete: ['Authorization'] } }],
      },
      {
        match: [{ header: { Cookie: ['*'] } }],
        handle: [
          {
            handler: 'headers',
            request: {
              replace: {
                Cookie: [
                  { search_regexp: RISE_COOKIE_PATTERN, replace: '' },
                  { search_regexp: '^[; \\t]+', replace: '' },
                ],
              },
            },
          },
        ],
      },
      {
        match: [{ header_regexp: { Cookie: { pattern: '^[; \\t]*$' } } }],
        handle: [{ handler: 'headers', request: { delete: ['Cookie'] } }],
      },
    ],
  };
}

function buildStoppedResponse(project: string): CaddyObject {
  return {
    handler: 'static_response',
    status_code: 503,
    headers: {
      'Content-Type': ['text/html; charset=utf-8'],
      'Retry-After': ['60'],
      'Cache-Control': ['no-store'],
    },
    body: stoppedPage(project),
  };
}

/**
 * A self-contained page without `{` or `}`: Caddy replaces placeholders in static bodies, so styles
 * are inline attributes rather than a style sheet.
 */
export function stoppedPage(project: string): string {
  const name = escapeHtml(project);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${name} is stopped</title></head>`,
    '<body style="margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;',
    'font-family:system-ui,-apple-system,sans-serif;background:#f6f7f9;color:#1f2937">',
    '<main style="max-width:32rem;padding:2rem;text-align:center">',
    `<h1 style="font-size:1.5rem;margin:0 0 .75rem">${name} is stopped</h1>`,
    '<p style="margin:0;color:#4b5563">This project is not running right now. ',
    'Its owners can start it again from Rise.</p>',
    '</main></body></html>',
  ].join('');
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"'{}]/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '{': '&#123;', '}': '&#125;' })[
        char
      ] ?? char,
  );
}
