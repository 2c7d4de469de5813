import http from 'node:http';
import net from 'node:net';
import { shouldBufferBody, shouldRetry } from './edge-retry';

/**
 * The apps' public port under `npm start`, owned by the supervisor rather than by Caddy, so that apps
 * keep serving while Caddy restarts (Caddy 2.6 cannot take over a listening socket from a parent).
 * Plain HTTP is forwarded request by request to Caddy's internal port: Host kept, X-Forwarded-For and
 * -Proto set, bodies streamed, Upgrade (websockets) piped. While Caddy is down, requests wait for it
 * (see edge-retry.ts for which are sent again) up to `waitForUpstreamMs`, then get a 502.
 * HTTPS, when configured, is passed through at TCP level: only the connect is retried.
 */
export type AppsEdgeOptions = {
  /** Interface and port the apps are served on (RISE_PROXY_BIND_HOST, RISE_PROXY_HTTP_PORT). */
  host: string;
  port: number;
  /** Caddy's plain-HTTP listener: `upstreamHost` (default 127.0.0.1, compose: Caddy's container). */
  upstreamHost?: string;
  upstreamPort: number;
  /**
   * TLS pass-through: the public HTTPS port and Caddy's HTTPS listener. Caddy believes the
   * X-Forwarded-For of connections from the edge's plain-HTTP address (the edge sets it); passed-through
   * TLS connections carry the client's own headers, so they must come from an address Caddy does not
   * trust: `upstreamHost` (another network) or `localAddress` (e.g. 127.0.0.2).
   */
  tls?: { port: number; upstreamPort: number; upstreamHost?: string; localAddress?: string };
  /** Where an operator finds why Caddy is down, named in the 502 sent when it does not come back. */
  upstreamLogHint?: string;
  waitForUpstreamMs?: number;
  retryIntervalMs?: number;
  /** Bodies of idempotent requests up to this size are kept, so that they can be sent again. */
  maxReplayBodyBytes?: number;
  log?: (line: string) => void;
};

export type AppsEdge = { port: number; tlsPort: number | null; close: () => Promise<void> };

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);
/** Set by the edge itself: what a client sends under these names is not passed on. */
const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Listens on the public port(s); throws with a clear message when one is taken. */
export async function startAppsEdge(options: AppsEdgeOptions): Promise<AppsEdge> {
  const settings = {
    waitForUpstreamMs: options.waitForUpstreamMs ?? 20_000,
    retryIntervalMs: options.retryIntervalMs ?? 100,
    maxReplayBodyBytes: options.maxReplayBodyBytes ?? 1024 * 1024,
  };
  const httpUpstream: UpstreamTarget = {
    host: options.upstreamHost ?? '127.0.0.1',
    port: options.upstreamPort,
  };
  const logHint = options.upstreamLogHint ?? 'RISE_DATA_DIR/caddy/caddy.log';
  let closing = false;
  let upstreamDown = false;
  /** Piped connections (Upgrade, TLS): the servers no longer count them as requests. */
  const piped = new Set<net.Socket>();
  const pipe = (client: net.Socket, upstream: net.Socket) => {
    for (const socket of [client, upstream]) {
      piped.add(socket);
      socket.on('close', () => piped.delete(socket));
    }
    splice(client, upstream);
  };
  const log = options.log ?? (() => {});
  const noteUpstream = (up: boolean) => {
    if (up === !upstreamDown) return;
    upstreamDown = !up;
    log(
      up
        ? 'Caddy answers again; held requests continue'
        : `Caddy is not answering on ${httpUpstream.host}:${httpUpstream.port}; holding requests for up to ${settings.waitForUpstreamMs / 1000} s`,
    );
  };

  /** A connection to Caddy, retried while it is refused, until the deadline or shutdown. */
  async function connectUpstream(
    target: UpstreamTarget,
    deadline: number,
    gone: () => boolean,
  ): Promise<net.Socket> {
    for (;;) {
      try {
        const socket = await connectOnce(target);
        noteUpstream(true);
        return socket;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const retry = shouldRetry({
          phase: 'connect',
          code,
          method: 'GET',
          bodyReplayable: false,
          responseStarted: false,
        });
        if (!retry || closing || gone() || Date.now() >= deadline) throw error;
        noteUpstream(false);
        await sleep(settings.retryIntervalMs);
      }
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? 'GET';
    let clientGone = false;
    res.on('close', () => {
      clientGone = true;
    });
    const body = shouldBufferBody(method, req.headers, settings.maxReplayBodyBytes)
      ? await readAll(req)
      : null;
    const headers = forwardedHeaders(req, { upgrade: false });
    if (body) {
      if (body.length > 0 || req.headers['content-length'] !== undefined)
        headers.push('content-length', String(body.length));
    } else if (req.headers['transfer-encoding'] !== undefined) headers.push('transfer-encoding', 'chunked');
    else if (req.headers['content-length'] !== undefined)
      headers.push('content-length', req.headers['content-length']);
    const deadline = Date.now() + settings.waitForUpstreamMs;
    for (;;) {
      let socket: net.Socket;
      try {
        socket = await connectUpstream(httpUpstream, deadline, () => clientGone);
      } catch (error) {
        return badGateway(res, error, settings.waitForUpstreamMs, logHint);
      }
      const outcome = await sendOnce(socket, req, res, { method, headers, body });
      if (outcome.ok || clientGone) return;
      const retry = shouldRetry({
        phase: 'request',
        code: outcome.code,
        method,
        bodyReplayable: body !== null,
        responseStarted: false,
      });
      if (!retry || closing || Date.now() >= deadline) return badGateway(res, outcome.error, 0, logHint);
      await sleep(settings.retryIntervalMs);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) badGateway(res, error, 0, logHint);
      else res.destroy();
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    client.on('error', () => client.destroy());
    const deadline = Date.now() + settings.waitForUpstreamMs;
    connectUpstream(httpUpstream, deadline, () => client.destroyed).then(
      (upstream) => {
        const headers = forwardedHeaders(req, { upgrade: true });
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        pipe(client, upstream);
      },
      () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    );
  });
  await listen(server, options.port, options.host, 'RISE_PROXY_HTTP_PORT');

  let tlsServer: net.Server | null = null;
  const tls = options.tls;
  if (tls) {
    tlsServer = net.createServer((client) => {
      client.pause();
      client.on('error', () => client.destroy());
      const deadline = Date.now() + settings.waitForUpstreamMs;
      const target = {
        host: tls.upstreamHost ?? httpUpstream.host,
        port: tls.upstreamPort,
        localAddress: tls.localAddress,
      };
      connectUpstream(target, deadline, () => client.destroyed).then(
        (upstream) => {
          pipe(client, upstream);
          client.resume();
        },
        () => client.destroy(),
      );
    });
    try {
      await listen(tlsServer, tls.port, options.host, 'RISE_PROXY_HTTPS_PORT');
    } catch (error) {
      server.close();
      throw error;
    }
  }

  return {
    port: (server.address() as net.AddressInfo).port,
    tlsPort: tlsServer ? (tlsServer.address() as net.AddressInfo).port : null,
    close: async () => {
      closing = true;
      const closed = Promise.all(
        [server, tlsServer]
          .filter((item) => item !== null)
          .map((item) => new Promise<void>((resolve) => item.close(() => resolve()))),
      );
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        server.closeAllConnections();
        for (const socket of piped) socket.destroy();
      }, 5_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

function listen(server: net.Server, port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} (${variable}, where apps are served) is already in use, so apps cannot be served. ` +
                `Stop what listens there (another Rise or Caddy?), or choose a free port, e.g. ${variable}=${port + 1} npm start.`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

type UpstreamTarget = { host: string; port: number; localAddress?: string };

function connectOnce(target: UpstreamTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

type Outcome = { ok: true } | { ok: false; code: string | undefined; error: Error };

/** One attempt on a connected socket; fails (for a retry) only while no answer has started. */
function sendOnce(
  socket: net.Socket,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  request: { method: string; headers: string[]; body: Buffer | null },
): Promise<Outcome> {
  return new Promise((resolve) => {
    let answered = false;
    const upstream = http.request({
      createConnection: () => socket,
      method: request.method,
      path: req.url,
      headers: request.headers,
      setHost: false,
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('response', (answer) => {
      answered = true;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
      resolve({ ok: true });
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) {
        res.destroy();
        return;
      }
      socket.destroy();
      resolve({ ok: false, code: error.code, error });
    });
    if (request.body) upstream.end(request.body);
    else req.pipe(upstream);
  });
}

/** The client's headers as a raw list, without hop-by-hop ones, with Rise's X-Forwarded-* set. */
function forwardedHeaders(req: http.IncomingMessage, options: { upgrade: boolean }): string[] {
  const named = new Set(
    String(req.headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const lower = name.toLowerCase();
    const keptForUpgrade = options.upgrade && (lower === 'connection' || lower === 'upgrade');
    if (!keptForUpgrade && (HOP_BY_HOP.has(lower) || named.has(lower))) continue;
    if (FORWARDED.has(lower) || lower === 'content-length') continue;
    out.push(name, req.rawHeaders[i + 1]!);
  }
  const peer = req.socket.remoteAddress ?? '';
  out.push('X-Forwarded-For', peer.startsWith('::ffff:') ? peer.slice(7) : peer);
  out.push('X-Forwarded-Proto', 'http');
  if (req.headers.host) out.push('X-Forwarded-Host', req.headers.host);
  return out;
}

function responseHeaders(answer: http.IncomingMessage): string[] {
  const named = new Set(
    String(answer.headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase()),
  );
  const out: string[] = [];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    const lower = answer.rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower)) continue;
    out.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
  }
  return out;
}

function badGateway(res: http.ServerResponse, error: unknown, waitedMs: number, logHint: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const body =
    waitedMs > 0
      ? `Rise's proxy (Caddy) did not come back within ${waitedMs / 1000} s (${reason}). See ${logHint}.\n`
      : `Rise's proxy (Caddy) dropped the connection before answering (${reason}).\n`;
  res.writeHead(502, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function splice(a: net.Socket, b: net.Socket) {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}
