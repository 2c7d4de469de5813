import { statSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { startCaddy, type TestCaddy, testCaddyProxyConfig } from '../../../test/caddy';
import { proxyRequest } from '../../../test/http-through-proxy';
import { CaddyClient, CaddyError, isPreconditionFailed } from './caddy-client';
import { CaddyProxy } from './caddy-proxy';

/** One raw request on Caddy's admin socket with the given Host header, as another client would send it. */
function socketRequest(socketPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, path: '/config/', method: 'GET', headers: { host }, setHost: false },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('CaddyClient with the admin API on a unix socket (real Caddy)', () => {
  let caddy: TestCaddy;
  let client: CaddyClient;

  beforeAll(async () => {
    caddy = await startCaddy({ adminSocket: true });
    client = new CaddyClient({ adminUrl: caddy.adminUrl });
  });

  afterAll(async () => {
    await caddy?.stop();
  });

  it('talks to Caddy over the socket, which has no TCP address', async () => {
    expect(caddy.adminUrl).toMatch(/^unix:\/\/\/.+\/admin\.sock$/);
    expect(caddy.adminPort).toBeNull();
    expect(statSync(caddy.adminSocketPath as string).isSocket()).toBe(true);
    expect(await client.getConfig()).toEqual({ admin: { listen: `unix/${caddy.adminSocketPath}` } });
  });

  it('is what Caddy 2.6 requires there: an empty Host; any named host is refused', async () => {
    const socketPath = caddy.adminSocketPath as string;
    expect((await socketRequest(socketPath, '')).status).toBe(200);
    for (const host of ['localhost', '127.0.0.1', 'caddy']) {
      const answer = await socketRequest(socketPath, host);
      expect(answer.status, host).toBe(403);
      expect(answer.body).toContain(`host not allowed: ${host}`);
    }
  });

  it('writes, reads by id, honours If-Match and deletes over the socket', async () => {
    await client.post('apps', { http: { servers: {} } });
    const server = {
      '@id': 'socket-test-server',
      listen: [`127.0.0.1:${await freePort()}`],
      routes: [{ handle: [{ handler: 'static_response', body: 'one' }] }],
    };
    await client.post('apps/http/servers/socket', server);
    expect(await client.getById('socket-test-server')).toMatchObject({ listen: server.listen });

    const versioned = await client.getConfigVersioned('apps/http/servers/socket/routes');
    await client.patchById('socket-test-server', { ...server, routes: [] });
    const stale = await client.patch('apps/http/servers/socket/routes', [], { ifMatch: versioned.etag }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isPreconditionFailed(stale)).toBe(true);

    expect(await client.deleteById('socket-test-server')).toBe(true);
    expect(await client.deleteById('socket-test-server')).toBe(false);
  });

  it('drives Rise’s proxy end to end over the socket: a route serves traffic', async () => {
    const appPort = await freePort();
    const app = http.createServer((_req, res) => res.end('from the app'));
    await new Promise<void>((resolve) => app.listen(appPort, '127.0.0.1', resolve));
    try {
      const authPort = await freePort();
      const proxy = new CaddyProxy(testCaddyProxyConfig(caddy, authPort));
      await proxy.prepare();
      await proxy.upsertRoute({
        project: 'socket-app',
        hosts: ['socket-app.localhost'],
        state: 'running',
        upstream: `127.0.0.1:${appPort}`,
        healthPath: '/',
        visibility: 'public',
        activeDeploymentId: null,
        port: 8080,
      });
      expect(await proxy.listRoutes()).toEqual(['socket-app']);
      const answer = await proxyRequest(caddy.httpPort, { host: 'socket-app.localhost' });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('from the app');
    } finally {
      await new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections();
      });
    }
  });

  it('names the socket when Caddy is not listening there', async () => {
    const missing = new CaddyClient({ adminUrl: `${caddy.adminUrl}.missing`, timeoutMs: 2000 });
    const error = await missing.getConfig().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CaddyError);
    expect((error as CaddyError).status).toBe(0);
    expect((error as CaddyError).message).toContain(`admin API at ${caddy.adminUrl}.missing unreachable`);
  });

  it('refuses an address that is neither http(s) nor an absolute unix socket path', () => {
    for (const adminUrl of ['unix://relative/admin.sock', 'unix:///', 'ftp://caddy:2019', 'caddy:2019']) {
      expect(() => new CaddyClient({ adminUrl }), adminUrl).toThrow(
        /expected http:\/\/host:port or unix:\/\/\//,
      );
    }
  });
});
