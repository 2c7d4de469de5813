import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppsEdge } from '@/server/platform/apps-edge';
import { freePort } from '@/server/platform/free-port';
import { startCaddy, type TestCaddy, testCaddyProxyConfig } from '../../../test/caddy';
import { startVersionLoad, type VersionSample } from '../../../test/http-load';
import { type ProxyResponse, proxyRequest } from '../../../test/http-through-proxy';
import { waitFor } from '../../../test/wait';
import { CaddyError } from './caddy-client';
import { CaddyProxy } from './caddy-proxy';
import { enableListenerMigration, MIGRATION_OFF_HINT } from './listener-migration';
import { buildProjectRoute } from './routes';
import type { ProjectRoute } from './types';

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/**
 * One HTTP request with node:http (no redirects followed, any Host header), on a new connection unless
 * an agent is given: a kept-alive connection may be closed by Caddy's reload after a config change.
 */
const request = proxyRequest;

/** Stands in for an app container: `/health` answers ok, anything else names the version (after 1 ms). */
async function startApp(port: number, version: string) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ version }));
      }, 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    version,
    received,
    /**
     * Like an app that drains on SIGTERM: stops accepting, closes its idle kept-alive connections and
     * lets requests in flight finish.
     */
    drain: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
    /** Like a killed container: stop listening and cut every open connection, requests in flight too. */
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
type App = Awaited<ReturnType<typeof startApp>>;

/** Stands in for Rise's /api/proxy/auth: 200 + X-Rise-User for `session=ok`, else 302 to sign-in. */
async function startAuth(port: number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
    if (/(^|;\s*)session=ok(;|$)/.test(req.headers.cookie ?? '')) {
      res.setHeader('X-Rise-User', 'alice');
      res.end('ok');
    } else {
      res.statusCode = 302;
      res.setHeader('Location', '/signin');
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let logMarkers = 0;

/**
 * Config write requests Caddy's admin API received so far (its log has one line per request). The log
 * line of a write reaches this process after the write's response, so a marked read goes first and its
 * line is awaited: Caddy logs requests as it receives them, so every earlier write's line is in by then.
 */
async function adminWrites(caddy: TestCaddy): Promise<number> {
  const marker = `rise-test-marker=${++logMarkers}`;
  await (await fetch(`${caddy.adminUrl}/config/admin?${marker}`)).arrayBuffer();
  await waitFor(() => caddy.output().includes(`?${marker}"`), {
    description: `Caddy to log the read marked ${marker}`,
    timeoutMs: 10_000,
    intervalMs: 10,
  });
  return caddy.output().match(/"msg":"received request","method":"(POST|PUT|PATCH|DELETE)"/g)?.length ?? 0;
}

describe('CaddyProxy with a real Caddy (TLS off)', () => {
  let caddy: TestCaddy;
  let proxy: CaddyProxy;
  let authPort: number;
  let operatorPort: number;
  let dashboard: App;
  const slots: [number, number] = [0, 0];
  const apps: App[] = [];
  /** The app version that currently owns the project (the old one is stopped after each switch). */
  let live: App;

  const route = (overrides: Partial<ProjectRoute> = {}): ProjectRoute => ({
    project: 'app',
    hosts: ['app.localhost'],
    state: 'running',
    // Before the first app starts, the first slot.
    upstream: `127.0.0.1:${(live as App | undefined)?.port ?? slots[0]}`,
    healthPath: '/health',
    visibility: 'public',
    activeDeploymentId: null,
    port: 8080,
    ...overrides,
  });

  beforeAll(async () => {
    caddy = await startCaddy();
    [authPort, operatorPort, slots[0], slots[1]] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    dashboard = await startApp(await freePort(), 'dashboard');
    proxy = new CaddyProxy(
      testCaddyProxyConfig(caddy, authPort, {
        dashboard: { host: 'rise.localhost', upstream: `127.0.0.1:${dashboard.port}` },
      }),
    );
    // A server the operator configured: Rise must leave it alone.
    await proxy.client.post('apps', {
      http: {
        servers: {
          operator: {
            listen: [`127.0.0.1:${operatorPort}`],
            automatic_https: { disable: true },
            routes: [{ handle: [{ handler: 'static_response', body: 'operator' }] }],
          },
        },
      },
    });
    await proxy.prepare();
  });

  afterAll(async () => {
    await Promise.all([...apps, dashboard].map((app) => app?.close()));
    await caddy?.stop();
  });

  it('prepare creates the rise server, keeps admin and other servers, and is idempotent', async () => {
    const config = await proxy.client.getConfig<{
      admin: unknown;
      apps: { http: { servers: Record<string, { listen: string[]; routes: { '@id'?: string }[] }> } };
    }>();
    expect(config.admin).toEqual({ listen: `127.0.0.1:${caddy.adminPort}` });
    expect(Object.keys(config.apps.http.servers).sort()).toEqual(['operator', 'rise']);
    expect(config.apps.http.servers.rise!.listen).toEqual([`127.0.0.1:${caddy.httpPort}`]);
    // No access log: Caddy writes none unless a server has `logs`.
    expect(Object.keys(config.apps.http.servers.rise!)).not.toContain('logs');
    expect(config.apps.http.servers.rise!.routes.map((item) => item['@id'])).toEqual([
      'rise-domain-challenge',
      'rise-dashboard',
      'rise-not-found',
    ]);
    expect((await request(operatorPort, { host: 'any' })).body).toBe('operator');
    expect((await request(caddy.httpPort, { host: 'rise.localhost' })).body).toBe('{"version":"dashboard"}');

    const before = {
      writes: await adminWrites(caddy),
      etag: (await proxy.client.getConfigVersioned('')).etag,
    };
    await proxy.prepare();
    expect(await adminWrites(caddy)).toBe(before.writes);
    expect((await proxy.client.getConfigVersioned('')).etag).toBe(before.etag);
  });

  it('preparing again (every reconcile does) makes Caddy log no admin API error', async () => {
    const before = caddy.output().length;
    await proxy.prepare();
    await proxy.prepare();
    const logged = caddy.output().slice(before);
    expect(logged).not.toMatch(/"logger":"admin.api","msg":"request error"/);
  });

  it('routes a running project to its first slot, after the dashboard route', async () => {
    apps.push(await startApp(slots[0], 'v1'));
    await proxy.upsertRoute(route());
    const answer = await request(caddy.httpPort, {
      host: 'app.localhost',
      headers: { 'X-Rise-User': 'mallory' },
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ version: 'v1' });
    expect(answer.headers['x-rise-project']).toBe('app');
    // A public app never sees a client's identity header.
    expect(apps[0]!.received.at(-1)!.headers['x-rise-user']).toBeUndefined();
    // Node's fetch drops a `host` header (it sends 127.0.0.1:<port>), so no route matches: hence node:http.
    const viaFetch = await fetch(`http://127.0.0.1:${caddy.httpPort}/`, {
      headers: { host: 'app.localhost' },
    });
    expect(viaFetch.status).toBe(404);
    expect(await viaFetch.text()).toBe('No app is served at this address.\n');
    const routes = await proxy.client.getConfig<{ '@id': string }[]>('apps/http/servers/rise/routes');
    expect(routes.map((item) => item['@id'])).toEqual([
      'rise-domain-challenge',
      'rise-dashboard',
      'rise-project-app',
      'rise-not-found',
    ]);
    expect(await proxy.listRoutes()).toEqual(['app']);
  });

  it("the dashboard answers for Rise's host even when a stale project route claims it first; prepare repairs the order", async () => {
    // As an older Rise left it: a project route that claims the dashboard's host, before the dashboard.
    const hijack = buildProjectRoute(route({ project: 'hijack', hosts: ['rise.localhost'] }), {
      authUpstream: `127.0.0.1:${authPort}`,
    });
    await proxy.client.put('apps/http/servers/rise/routes/0', hijack);
    const before = await request(caddy.httpPort, { host: 'rise.localhost' });
    expect(before.headers['x-rise-project']).toBe('hijack');

    await proxy.prepare();
    const routes = await proxy.client.getConfig<{ '@id': string }[]>('apps/http/servers/rise/routes');
    expect(routes.map((item) => item['@id'])).toEqual([
      'rise-domain-challenge',
      'rise-dashboard',
      'rise-project-hijack',
      'rise-project-app',
      'rise-not-found',
    ]);
    const after = await request(caddy.httpPort, { host: 'rise.localhost' });
    expect(after.body).toBe('{"version":"dashboard"}');
    expect(after.headers['x-rise-project']).toBeUndefined();
    // A new project route also goes after the dashboard's.
    await proxy.removeRoute('hijack');
    await proxy.upsertRoute(route({ project: 'late', hosts: ['rise.localhost', 'late.localhost'] }));
    expect((await request(caddy.httpPort, { host: 'rise.localhost' })).body).toBe('{"version":"dashboard"}');
    await proxy.removeRoute('late');
    // Ordered already: prepare writes nothing.
    const writes = await adminWrites(caddy);
    await proxy.prepare();
    expect(await adminWrites(caddy)).toBe(writes);
  });

  it('sends /.well-known/rise-challenge/<token> on any host to Rise with the Host kept', async () => {
    const received: Received[] = [];
    const rise = http.createServer((req, res) => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
      res.end('the-token');
    });
    await new Promise<void>((resolve) => rise.listen(authPort, '127.0.0.1', resolve));
    try {
      for (const host of ['www.example.org', 'app.localhost']) {
        const answer = await request(caddy.httpPort, {
          host,
          path: '/.well-known/rise-challenge/abc_DEF-123',
        });
        expect(answer.status).toBe(200);
        expect(answer.body).toBe('the-token');
      }
      expect(received.map((item) => `${item.headers.host} ${item.url}`)).toEqual([
        'www.example.org /api/proxy/domain-challenge/abc_DEF-123',
        'app.localhost /api/proxy/domain-challenge/abc_DEF-123',
      ]);
      // Other paths of an unknown host still get the not-found page.
      expect((await request(caddy.httpPort, { host: 'www.example.org', path: '/' })).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => {
        rise.close(() => resolve());
        rise.closeAllConnections();
      });
    }
  });

  it('an identical upsert writes nothing to Caddy', async () => {
    const before = {
      writes: await adminWrites(caddy),
      etag: (await proxy.client.getConfigVersioned('')).etag,
      autosave: caddy.autosaveMtime(),
    };
    expect(before.autosave).not.toBeNull();
    // Same route, hosts in another order and case: still no change.
    await proxy.upsertRoute(route());
    await proxy.upsertRoute(route({ hosts: ['APP.localhost', 'app.localhost'] }));
    expect(await adminWrites(caddy)).toBe(before.writes);
    expect((await proxy.client.getConfigVersioned('')).etag).toBe(before.etag);
    expect(caddy.autosaveMtime()).toBe(before.autosave);
  });

  it('a stopped project answers the 503 page, and starts again', async () => {
    await proxy.upsertRoute(route({ state: 'stopped' }));
    const stopped = await request(caddy.httpPort, { host: 'app.localhost' });
    expect(stopped.status).toBe(503);
    expect(stopped.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(stopped.headers['retry-after']).toBe('60');
    expect(stopped.headers['x-rise-project']).toBe('app');
    expect(stopped.body).toContain('<title>app is stopped</title>');
    await proxy.upsertRoute(route());
    expect((await request(caddy.httpPort, { host: 'app.localhost' })).status).toBe(200);
    expect(await proxy.listRoutes()).toEqual(['app']);
  });

  it('If-Match with a stale ETag is refused with 412 and Caddy’s message', async () => {
    const { etag } = await proxy.client.getConfigVersioned('apps/http/servers/rise/routes');
    await proxy.upsertRoute(route({ hosts: ['app.localhost', 'etag.localhost'] }));
    const stale = proxy.client.patchById('rise-project-app', {}, { ifMatch: etag });
    await expect(stale).rejects.toBeInstanceOf(CaddyError);
    await expect(stale).rejects.toMatchObject({ status: 412 });
    await proxy.upsertRoute(route());
    await expect(proxy.client.getById('no-such-id')).resolves.toBeNull();
  });

  /** Clients that never retry sending to `port` back to back until stopped (see test/http-load.ts). */
  const startAppLoad = (options: {
    port: number;
    clients: number;
    method: 'GET' | 'POST';
    keepAlive: boolean;
  }) =>
    startVersionLoad({
      ...options,
      maxMs: 120_000,
      maxSamples: 200_000,
      send: (agent) =>
        request(
          options.port,
          {
            host: 'app.localhost',
            method: options.method,
            body: options.method === 'POST' ? 'x'.repeat(256) : undefined,
          },
          agent || undefined,
        ),
      versionOf: (body) => (JSON.parse(body) as { version: string }).version,
    });
  type Load = ReturnType<typeof startAppLoad>;

  /** Starts `version` in the free slot and waits until it answers there (not through Caddy). */
  async function startInFreeSlot(version: string) {
    const freeSlot = live.port === slots[0] ? slots[1] : slots[0];
    const next = await startApp(freeSlot, version);
    apps.push(next);
    await waitFor(async () => (await request(freeSlot, { host: 'x', path: '/health' })).status === 200, {
      description: `${version} to answer`,
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    return next;
  }

  type Switch = { from: string; to: string; slot: 'a' | 'b'; begun: number; done: number };

  /**
   * A redeploy as run-deployment.ts does it once the new version passed Rise's health check: one
   * route write naming the new slot, then (after a short settle) the old version stops the way a
   * container that drains on SIGTERM does: it stops accepting, finishes what it has, exits.
   */
  async function switchTo(next: App): Promise<Switch> {
    const slot = next.port === slots[0] ? 'a' : 'b';
    const begun = performance.timeOrigin + performance.now();
    await proxy.upsertRoute(route({ upstream: `127.0.0.1:${next.port}` }));
    const done = performance.timeOrigin + performance.now();
    const old = live;
    live = next;
    // The settle pause run-deployment.ts makes before stopping the old version.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await old.drain();
    apps.splice(apps.indexOf(old), 1);
    return { from: old.version, to: next.version, slot, begun, done };
  }

  /**
   * Requests that ended before a switch began were answered by the version it left; requests that
   * started after it returned, by the version it moved to: traffic moved exactly once, at the write.
   */
  function misrouted(samples: VersionSample[], switches: Switch[]): string[] {
    const wrong: string[] = [];
    for (const sample of samples) {
      if (sample.version === null) continue;
      for (const swap of switches) {
        if (sample.end < swap.begun && sample.version === swap.to)
          wrong.push(`${swap.to} answered before the switch to it began`);
        if (sample.start > swap.done && sample.version === swap.from)
          wrong.push(`${swap.from} answered after the switch away from it`);
      }
    }
    return wrong;
  }

  it('a redeploy is one route write; through the edge 0 GETs and 0 POSTs fail, keep-alive or not, into either slot', {
    timeout: 180_000,
  }, async () => {
    live = apps[0]!;
    expect(live.port).toBe(slots[0]);
    // Without it, each route write resets the few new connections queued on the TCP listener Caddy
    // replaces (see listener-migration.ts). Left on, as README asks of hosts running Caddy: putting it
    // back would race the other test files that measure resets.
    expect(await enableListenerMigration(), MIGRATION_OFF_HINT).toMatch(/^(on|turned-on)$/);
    // As `npm start` serves apps: its edge on the public port, Caddy behind it.
    const edge = await startAppsEdge({ host: '127.0.0.1', port: 0, upstreamPort: caddy.httpPort });
    const clients = 3;
    const loads: Load[] = [];
    for (const method of ['GET', 'POST'] as const) {
      for (const keepAlive of [true, false])
        loads.push(startAppLoad({ port: edge.port, clients, method, keepAlive }));
    }
    // For the report: a client talking straight to Caddy over kept-alive connections (no assertion on
    // its failures: a reload closes idle client connections, and a request racing that close fails).
    const direct = startAppLoad({ port: caddy.httpPort, clients: 2, method: 'POST', keepAlive: true });
    const switches: Switch[] = [];
    let writes = 0;
    try {
      const total = () => loads.reduce((sum, load) => sum + load.count(), 0);
      for (const version of ['v2', 'v3', 'v4', 'v5']) {
        const before = total();
        await waitFor(() => total() - before >= 400, {
          description: 'load before a switch',
          timeoutMs: 30_000,
          intervalMs: 20,
        });
        const next = await startInFreeSlot(version);
        const writesBefore = await adminWrites(caddy);
        switches.push(await switchTo(next));
        writes += (await adminWrites(caddy)) - writesBefore;
      }
      const before = total();
      await waitFor(() => total() - before >= 400, {
        description: 'load after the last switch',
        timeoutMs: 30_000,
        intervalMs: 20,
      });
    } finally {
      await Promise.all([...loads, direct].map((load) => load.stop()));
      await edge.close();
    }
    const report = [...loads, direct].map((load) => {
      const failures = load.samples.filter((sample) => sample.failure !== null);
      return `${load === direct ? 'straight to Caddy, ' : ''}${load.name}: ${load.samples.length} sent, ${failures.length} failed${
        failures.length ? ` (${[...new Set(failures.map((f) => f.failure))].slice(0, 3).join('; ')})` : ''
      }`;
    });
    console.log(
      `switches ${JSON.stringify(switches.map(({ to, slot, begun, done }) => ({ to, slot, ms: Math.round(done - begun) })))}\n${report.join('\n')}`,
    );

    expect(switches.map((swap) => swap.slot)).toEqual(['b', 'a', 'b', 'a']);
    // Each switch is exactly one config write (and so one reload), none besides.
    expect(writes).toBe(switches.length);
    for (const load of loads) {
      expect(load.samples.length, load.name).toBeGreaterThanOrEqual(200);
      expect(
        load.samples
          .filter((sample) => sample.failure !== null)
          .map((s) => s.failure)
          .slice(0, 5),
        load.name,
      ).toEqual([]);
      expect(load.samples.filter((sample) => sample.failure !== null).length, load.name).toBe(0);
      expect(misrouted(load.samples, switches).slice(0, 5), load.name).toEqual([]);
      expect(new Set(load.samples.map((sample) => sample.version)), load.name).toEqual(
        new Set(['v1', 'v2', 'v3', 'v4', 'v5']),
      );
    }
    // Every old version stopped after its switch; requests still in flight there had finished.
    expect(apps.filter((app) => app !== dashboard).map((app) => app.version)).toEqual(['v5']);
  });

  it('outdatedRoutes names the projects whose route Caddy does not have as given, in one read', async () => {
    const current = route({ upstream: `127.0.0.1:${live.port}` });
    expect(await proxy.outdatedRoutes([current])).toEqual(new Set());
    const other = live.port === slots[0] ? slots[1] : slots[0];
    expect(await proxy.outdatedRoutes([route({ upstream: `127.0.0.1:${other}` })])).toEqual(new Set(['app']));
    expect(await proxy.outdatedRoutes([current, route({ project: 'new' })])).toEqual(new Set(['new']));
  });

  it('a private project is behind forward-auth to Rise and fails closed', async () => {
    const auth = await startAuth(authPort);
    const secretSlots = [await freePort(), await freePort()] as const;
    const app = await startApp(secretSlots[0], 's1');
    apps.push(app);
    const privateRoute = route({
      project: 'secret',
      hosts: ['secret.localhost'],
      visibility: 'private',
      upstream: `127.0.0.1:${secretSlots[0]}`,
    });
    await proxy.upsertRoute(privateRoute);
    expect(await proxy.listRoutes()).toEqual(['app', 'secret']);
    const host = 'secret.localhost';
    try {
      const anonymous = await request(caddy.httpPort, { host, path: '/page?x=1' });
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.location).toBe('/signin');
      expect(anonymous.headers['x-rise-project']).toBe('secret');
      const spoofed = await request(caddy.httpPort, { host, headers: { 'X-Rise-User': 'alice' } });
      expect(spoofed.status).toBe(302);
      expect(app.received).toHaveLength(0);

      const signedIn = await request(caddy.httpPort, {
        host: `${host}:${caddy.httpPort}`,
        path: '/page?x=1',
        method: 'POST',
        body: 'hello',
        headers: { cookie: 'session=ok', 'X-Rise-User': 'mallory' },
      });
      expect(signedIn.status).toBe(200);
      expect(JSON.parse(signedIn.body)).toEqual({ version: 's1' });
      expect(app.received).toHaveLength(1);
      expect(app.received[0]).toMatchObject({ method: 'POST', url: '/page?x=1', body: 'hello' });
      expect(app.received[0]!.headers['x-rise-user']).toBe('alice');

      const asked = auth.received.at(-1)!;
      expect(asked.method).toBe('GET');
      expect(asked.url.split('?')[0]).toBe('/api/proxy/auth');
      expect(asked.headers).toMatchObject({
        'x-forwarded-method': 'POST',
        'x-forwarded-uri': '/page?x=1',
        'x-forwarded-host': `secret.localhost:${caddy.httpPort}`,
        cookie: 'session=ok',
      });
      // The client's identity header never reaches the auth server either.
      expect(asked.headers['x-rise-user']).toBeUndefined();
    } finally {
      await auth.close();
    }
    const authDown = await request(caddy.httpPort, { host, headers: { cookie: 'session=ok' } });
    expect(authDown.status).toBe(502);
    expect(app.received).toHaveLength(1);
  });

  it('after a restart without --resume the routes are gone and upsertRoute restores them', async () => {
    await caddy.restart();
    expect(await proxy.listRoutes()).toEqual([]);
    expect(await proxy.client.getConfig('apps')).toBeNull();
    // Without --resume the autosave now holds the admin-only config file Caddy started from.
    await proxy.upsertRoute(route());
    expect(await proxy.listRoutes()).toEqual(['app']);
    const answer = await request(caddy.httpPort, { host: 'app.localhost' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ version: live.version });
    // upsertRoute re-ran prepare(): the dashboard route is back too, before the project's.
    const routes = await proxy.client.getConfig<{ '@id': string }[]>('apps/http/servers/rise/routes');
    expect(routes.map((item) => item['@id'])).toEqual([
      'rise-domain-challenge',
      'rise-dashboard',
      'rise-project-app',
      'rise-not-found',
    ]);
    // The operator's server is gone with the rest: Caddy started from its config file.
    expect(await proxy.client.getConfig('apps/http/servers/operator')).toBeNull();
  });

  it('after a restart with --resume Caddy serves its last config, and removeRoute deletes a route', async () => {
    await caddy.restart({ resume: true });
    expect(await proxy.listRoutes()).toEqual(['app']);
    expect((await request(caddy.httpPort, { host: 'app.localhost' })).status).toBe(200);
    const writes = await adminWrites(caddy);
    await proxy.prepare();
    expect(await adminWrites(caddy)).toBe(writes);
    await proxy.removeRoute('app');
    await proxy.removeRoute('app');
    expect(await proxy.listRoutes()).toEqual([]);
    const gone = await request(caddy.httpPort, { host: 'app.localhost' });
    expect(gone.body).not.toContain(live.version);
  });
});

describe('CaddyProxy with a real Caddy (TLS internal, on demand)', () => {
  let caddy: TestCaddy;
  let proxy: CaddyProxy;
  let app: App;
  let ask: http.Server;
  let askPort: number;
  const asked: string[] = [];

  beforeAll(async () => {
    caddy = await startCaddy();
    askPort = await freePort();
    ask = http.createServer((req, res) => {
      const domain = new URL(req.url ?? '/', 'http://x').searchParams.get('domain') ?? '';
      asked.push(`${req.url?.split('?')[0]} ${domain}`);
      res.statusCode = domain === 'app.localhost' ? 200 : 403;
      res.end();
    });
    await new Promise<void>((resolve) => ask.listen(askPort, '127.0.0.1', resolve));
    app = await startApp(await freePort(), 'tls');
    proxy = new CaddyProxy(testCaddyProxyConfig(caddy, askPort, { tlsMode: 'internal' }));
    await proxy.prepare();
    await proxy.upsertRoute({
      project: 'app',
      hosts: ['app.localhost', 'denied.localhost'],
      state: 'running',
      upstream: `127.0.0.1:${app.port}`,
      healthPath: '/health',
      visibility: 'public',
      activeDeploymentId: null,
      port: 8080,
    });
  });

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => ask?.close(resolve));
    await caddy?.stop();
  });

  const httpsGet = (servername: string) =>
    new Promise<ProxyResponse>((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: caddy.httpsPort,
          servername,
          headers: { host: servername },
          rejectUnauthorized: false,
          timeout: 15_000,
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('sets the on-demand ask URL, the policy and install_trust false; prepare is idempotent', async () => {
    const tls = await proxy.client.getConfig('apps/tls/automation');
    expect(tls).toEqual({
      on_demand: { ask: `http://127.0.0.1:${askPort}/api/proxy/tls-allowed` },
      policies: [{ '@id': 'rise-tls-policy', issuers: [{ module: 'internal' }], on_demand: true }],
    });
    expect(await proxy.client.getConfig('apps/pki')).toEqual({
      certificate_authorities: { local: { install_trust: false } },
    });
    expect(await proxy.client.getConfig('apps/http/http_port')).toBe(caddy.httpPort);
    expect(await proxy.client.getConfig('apps/http/https_port')).toBe(caddy.httpsPort);
    const writes = await adminWrites(caddy);
    await proxy.prepare();
    expect(await adminWrites(caddy)).toBe(writes);
  });

  it('serves HTTPS with a certificate obtained on demand for an allowed host only', async () => {
    const answer = await httpsGet('app.localhost');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ version: 'tls' });
    expect(asked).toContain('/api/proxy/tls-allowed app.localhost');
    await expect(httpsGet('denied.localhost')).rejects.toThrow();
    expect(asked).toContain('/api/proxy/tls-allowed denied.localhost');
  });

  it('redirects plain HTTP to HTTPS on the HTTPS port', async () => {
    const answer = await request(caddy.httpPort, { host: 'app.localhost', path: '/a?b=1' });
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`https://app.localhost:${caddy.httpsPort}/a?b=1`);
  });

  it('answers the domain challenge over plain HTTP, before the redirect (like ACME)', async () => {
    const answer = await request(caddy.httpPort, {
      host: 'www.example.org',
      path: '/.well-known/rise-challenge/abc_DEF-123',
    });
    expect(answer.status).toBe(403);
    expect(asked).toContain('/api/proxy/domain-challenge/abc_DEF-123 ');
  });
});
