import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppsEdge, startAppsEdge } from './apps-edge';
import { freePort } from './free-port';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

/** A stand-in for Caddy on `port`; `behave` may answer or cut the connection. */
async function upstream(
  port: number,
  behave: (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen[]) => void = (_req, res) =>
    res.end('hello'),
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      behave(req, res, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanups.push(close);
  return { server, seen, close };
}

async function edgeTo(upstreamPort: number, options: { waitForUpstreamMs?: number } = {}): Promise<AppsEdge> {
  const edge = await startAppsEdge({
    host: '127.0.0.1',
    port: await freePort(),
    upstreamPort,
    retryIntervalMs: 20,
    ...options,
  });
  cleanups.push(() => edge.close());
  return edge;
}

function request(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { host: 'app.localhost:8080', ...options.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Destroys the connection of the first `times` requests without answering (Caddy killed mid-request). */
function resetFirst(times: number) {
  let count = 0;
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (count++ < times) req.socket.destroy();
    else res.end(`answered after ${times} reset(s)`);
  };
}

describe('apps edge', () => {
  it('forwards requests with the Host kept and X-Forwarded-* set by the edge, bodies and headers intact', async () => {
    const caddy = await upstream(await freePort(), (_req, res) => {
      res.setHeader('x-app', 'yes');
      res.statusCode = 201;
      res.end('created');
    });
    const edge = await edgeTo((caddy.server.address() as net.AddressInfo).port);
    const answer = await request(edge.port, {
      method: 'POST',
      path: '/items?x=1',
      body: 'x'.repeat(100_000),
      headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-host': 'evil.example', cookie: 'a=1' },
    });
    expect(answer).toMatchObject({ status: 201, body: 'created' });
    expect(answer.headers['x-app']).toBe('yes');
    expect(caddy.seen).toHaveLength(1);
    expect(caddy.seen[0]).toMatchObject({ method: 'POST', url: '/items?x=1', body: 'x'.repeat(100_000) });
    expect(caddy.seen[0]!.headers).toMatchObject({
      host: 'app.localhost:8080',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'app.localhost:8080',
      cookie: 'a=1',
    });
  });

  it('holds requests of every method while Caddy is down and sends them once it listens', async () => {
    const caddyPort = await freePort();
    const edge = await edgeTo(caddyPort);
    const pending = [request(edge.port), request(edge.port, { method: 'POST', body: 'data' })];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const caddy = await upstream(caddyPort, (req, res) => res.end(`${req.method} ok`));
    const answers = await Promise.all(pending);
    expect(answers.map((answer) => `${answer.status} ${answer.body}`).sort()).toEqual([
      '200 GET ok',
      '200 POST ok',
    ]);
    expect(caddy.seen.find((item) => item.method === 'POST')?.body).toBe('data');
  });

  it('sends an idempotent request again when Caddy drops it before answering, never a POST', async () => {
    const caddy = await upstream(await freePort(), resetFirst(1));
    const edge = await edgeTo((caddy.server.address() as net.AddressInfo).port);
    const put = await request(edge.port, { method: 'PUT', body: 'same' });
    expect(put).toMatchObject({ status: 200, body: 'answered after 1 reset(s)' });
    expect(caddy.seen.map((item) => `${item.method} ${item.body}`)).toEqual(['PUT same', 'PUT same']);

    const other = await upstream(await freePort(), resetFirst(1));
    const edge2 = await edgeTo((other.server.address() as net.AddressInfo).port);
    const post = await request(edge2.port, { method: 'POST', body: 'once' });
    expect(post.status).toBe(502);
    expect(post.body).toContain('dropped the connection before answering');
    expect(other.seen).toHaveLength(1);
  });

  it('answers 502 naming the problem when Caddy does not come back in time', async () => {
    const edge = await edgeTo(await freePort(), { waitForUpstreamMs: 300 });
    const answer = await request(edge.port);
    expect(answer.status).toBe(502);
    expect(answer.body).toContain("Rise's proxy (Caddy) did not come back within 0.3 s");
  });

  it('pipes an Upgrade (websocket) connection both ways', async () => {
    const caddy = await upstream(await freePort());
    caddy.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Host: ${req.headers.host}\r\n\r\n`,
      );
      socket.on('data', (chunk) => socket.write(`echo:${chunk}`));
      cleanups.push(() => {
        socket.destroy();
      });
    });
    const edge = await edgeTo((caddy.server.address() as net.AddressInfo).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(edge.port, '127.0.0.1', () => {
        socket.write(
          'GET /ws HTTP/1.1\r\nHost: app.localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n',
        );
      });
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
        if (received.includes('\r\n\r\n') && !received.includes('echo:')) socket.write('ping');
        if (received.includes('echo:ping')) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
    });
    expect(reply).toContain('101 Switching Protocols');
    expect(reply).toContain('X-Host: app.localhost');
    expect(reply).toContain('echo:ping');
  });

  it('passes HTTPS through at TCP level, holding a connection until Caddy accepts it', async () => {
    const tlsUpstreamPort = await freePort();
    const edge = await startAppsEdge({
      host: '127.0.0.1',
      port: await freePort(),
      upstreamPort: await freePort(),
      tls: { port: await freePort(), upstreamPort: tlsUpstreamPort },
      retryIntervalMs: 20,
    });
    cleanups.push(() => edge.close());
    const tlsPort = edge.tlsPort as number;
    const reply = new Promise<string>((resolve, reject) => {
      const socket = net.connect(tlsPort, '127.0.0.1', () => socket.write('client hello'));
      socket.on('data', (chunk) => {
        socket.destroy();
        resolve(String(chunk));
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const caddy = net.createServer((socket) => {
      socket.on('data', (chunk) => socket.end(`caddy got: ${chunk}`));
    });
    await new Promise<void>((resolve) => caddy.listen(tlsUpstreamPort, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => caddy.close(() => resolve())));
    expect(await reply).toBe('caddy got: client hello');
  });

  it('reaches Caddy at another host, and passes TLS through from a separate local address', async () => {
    // Caddy believes X-Forwarded-For from the edge's plain-HTTP address only; TLS connections carry the
    // client's own headers, so they must arrive from an address Caddy does not trust.
    const caddyPort = await freePort();
    const caddy = await upstream(caddyPort);
    await caddy.close();
    const elsewhere = await new Promise<http.Server>((resolve) => {
      const server = http.createServer((req, res) => res.end(`from ${req.socket.remoteAddress}`));
      server.listen(caddyPort, '127.0.0.3', () => resolve(server));
    });
    cleanups.push(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));
    const tlsUpstreamPort = await freePort();
    const tlsPeers: string[] = [];
    const tlsCaddy = net.createServer((socket) => {
      tlsPeers.push(socket.remoteAddress ?? '');
      socket.end('tls');
    });
    await new Promise<void>((resolve) => tlsCaddy.listen(tlsUpstreamPort, '127.0.0.4', resolve));
    cleanups.push(() => new Promise<void>((resolve) => tlsCaddy.close(() => resolve())));
    const edge = await startAppsEdge({
      host: '127.0.0.1',
      port: await freePort(),
      upstreamHost: '127.0.0.3',
      upstreamPort: caddyPort,
      tls: {
        port: await freePort(),
        upstreamPort: tlsUpstreamPort,
        upstreamHost: '127.0.0.4',
        localAddress: '127.0.0.2',
      },
    });
    cleanups.push(() => edge.close());
    expect((await request(edge.port)).body).toBe('from 127.0.0.1');
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(edge.tlsPort as number, '127.0.0.1');
      socket.on('data', (chunk) => resolve(String(chunk)));
      socket.on('error', reject);
    });
    expect(reply).toBe('tls');
    expect(tlsPeers).toEqual(['127.0.0.2']);
  });

  it('names where to look in the 502 when Caddy does not come back', async () => {
    const edge = await startAppsEdge({
      host: '127.0.0.1',
      port: await freePort(),
      upstreamHost: 'rise-caddy.invalid',
      upstreamPort: 80,
      waitForUpstreamMs: 300,
      retryIntervalMs: 20,
      upstreamLogHint: '`docker-compose logs caddy`',
    });
    cleanups.push(() => edge.close());
    const answer = await request(edge.port);
    expect(answer.status).toBe(502);
    expect(answer.body).toContain('did not come back within 0.3 s');
    expect(answer.body).toContain('See `docker-compose logs caddy`.');
  });

  it('refuses to start on a port that is taken, naming it and the variable', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as net.AddressInfo).port;
    await expect(startAppsEdge({ host: '127.0.0.1', port: taken, upstreamPort: 1 })).rejects.toThrow(
      `port ${taken} on 127.0.0.1 (RISE_PROXY_HTTP_PORT, where apps are served) is already in use`,
    );
  });
});
