import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { caddyProxyConfig } from '@/server/proxy';
import { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { startCaddy, type TestCaddy } from '../../../test/caddy';
import { type AppsEdge, startAppsEdge } from './apps-edge';
import { appsEdgeOptions } from './apps-edge-options';
import { freePort } from './free-port';

/**
 * The apps edge in front of a real Caddy, configured from Rise's settings as `npm start` does: apps
 * and the dashboard learn the client's address from X-Forwarded-For, and no client can write it —
 * neither over plain HTTP (the edge sets it) nor over HTTPS (passed through from an address Caddy
 * does not trust).
 */
type Stack = { caddy: TestCaddy; edge: AppsEdge; servers: http.Server[] };

/** Caddy and the edge configured from Rise's settings as `npm start` does, with an echo app. */
async function startStack(tlsMode: 'off' | 'internal'): Promise<Stack> {
  const caddy = await startCaddy();
  const echo = http.createServer((req, res) => res.end(String(req.headers['x-forwarded-for'] ?? '')));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  // Rise's web server stands in for the dashboard and answers the on-demand TLS `ask`.
  const ask = http.createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => ask.listen(0, '127.0.0.1', resolve));
  const askPort = (ask.address() as AddressInfo).port;
  const [publicHttp, publicHttps] = [await freePort(), await freePort()];
  const settings = parseEnv({
    RISE_URL: `http://rise.localhost:${publicHttp}`,
    RISE_INTERNAL_URL: `http://127.0.0.1:${askPort}`,
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_PROXY_HTTP_PORT: String(publicHttp),
    RISE_PROXY_HTTPS_PORT: String(publicHttps),
    RISE_PROXY_LISTEN_HTTP_PORT: String(caddy.httpPort),
    RISE_PROXY_LISTEN_HTTPS_PORT: String(caddy.httpsPort),
    RISE_TLS_MODE: tlsMode,
  });
  const proxy = new CaddyProxy(caddyProxyConfig(settings));
  await proxy.prepare();
  await proxy.upsertRoute({
    project: 'echo',
    hosts: ['echo.localhost'],
    state: 'running',
    upstream: `127.0.0.1:${(echo.address() as AddressInfo).port}`,
    healthPath: '/',
    visibility: 'public',
    activeDeploymentId: null,
    port: 8080,
  });
  const options = appsEdgeOptions(settings, () => {});
  if (!options) throw new Error('npm start would run no edge with these settings');
  const edge = await startAppsEdge(options);
  return { caddy, edge, servers: [echo, ask] };
}

async function stopStack(stack: Stack | undefined) {
  await stack?.edge.close();
  await stack?.caddy.stop();
  for (const server of stack?.servers ?? []) await new Promise((resolve) => server.close(resolve));
}

/** What the echo app saw as X-Forwarded-For, for a request that tries to forge it. */
const forwardedFor = (port: number, options: { tls: boolean }) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = (options.tls ? https : http).request(
      {
        host: '127.0.0.1',
        port,
        // The client's own address, to tell it apart from the edge's (127.0.0.1 and 127.0.0.2).
        localAddress: '127.0.0.9',
        servername: 'echo.localhost',
        rejectUnauthorized: false,
        agent: false,
        headers: { host: 'echo.localhost', 'x-forwarded-for': '203.0.113.66' },
        timeout: 15_000,
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });

/**
 * Apps (and the dashboard, by the same setting) learn the client's address from X-Forwarded-For, and
 * no client can write it: over plain HTTP the edge sets it; HTTPS is passed through unread, from an
 * address Caddy does not trust.
 */
describe("the client's address through the apps edge and a real Caddy", () => {
  let plain: Stack | undefined;
  let tls: Stack | undefined;
  beforeAll(async () => {
    plain = await startStack('off');
    tls = await startStack('internal');
  }, 60_000);
  afterAll(async () => {
    await stopStack(plain);
    await stopStack(tls);
  });

  it("gives an app the client's address over plain HTTP, never the one the client wrote", async () => {
    const answer = await forwardedFor(plain!.edge.port, { tls: false });
    expect(answer.status).toBe(200);
    expect(answer.body.split(', ')[0]).toBe('127.0.0.9');
    expect(answer.body).not.toContain('203.0.113.66');
  });

  it('keeps a forged X-Forwarded-For out over HTTPS', async () => {
    const answer = await forwardedFor(tls!.edge.tlsPort as number, { tls: true });
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain('203.0.113.66');
    // Caddy sees the edge's pass-through address: the client's is not knowable without reading TLS.
    expect(answer.body).toBe('127.0.0.2');
  });
});
