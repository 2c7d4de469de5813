import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { execClientMessage } from '@/server/domains/exec/exec.schema';
import type { Runtime } from '@/server/runtime/types';
import { outputFrame } from '@/shared/exec-frames';
import {
  gatewayExecRequest,
  gatewayListRequest,
  gatewayLogsRequest,
  gatewayOneOffRequest,
  readGatewayQuery,
} from './gateway-request';
import { gatewayTokenMatches } from './gateway-token';

export type RuntimeGatewayOptions = {
  /** A unix socket in a directory only the web server and the worker can reach (a shared volume). */
  socketPath: string;
  token: string;
  runtimeFor: (runtime: string) => Runtime;
  log: (line: string) => void;
};

/**
 * The worker's side of the runtime gateway: a web server without a Docker socket (the compose stack)
 * reads app output, lists app instances and runs commands in apps through the worker, which has one.
 * Only those operations, on instances Rise manages (the runtime refuses others), for the bearer of the token.
 */
export async function startRuntimeGateway(options: RuntimeGatewayOptions) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const server = http.createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/one-off') void serveOneOff(options, request, response);
    else if (request.method === 'GET' && request.url?.startsWith('/instances?'))
      void serveList(options, request, response);
    else void serveLogs(options, request, response);
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void serveExec(options, sockets, request, socket, head);
  });
  await rm(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => resolve());
  });
  await chmod(options.socketPath, 0o660);
  options.log(`runtime gateway listening on ${options.socketPath}`);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(response: http.ServerResponse, status: number, message: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${message}\n`);
}

async function serveLogs(
  options: RuntimeGatewayOptions,
  request: http.IncomingMessage,
  response: http.ServerResponse,
) {
  const url = new URL(request.url ?? '/', 'http://gateway.invalid');
  if (!gatewayTokenMatches(request.headers.authorization, options.token))
    return answer(response, 401, 'bad token');
  if (request.method !== 'GET' || url.pathname !== '/logs') return answer(response, 404, 'not found');
  const parsed = gatewayLogsRequest.safeParse(readGatewayQuery(url));
  if (!parsed.success) return answer(response, 400, parsed.error.issues[0]?.message ?? 'bad request');
  const { runtime, project, deployment, follow, tail, instance } = parsed.data;
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  try {
    const lines = options
      .runtimeFor(runtime)
      .logs(project, deployment, { follow, tail, signal: abort.signal, instance });
    let started = false;
    for await (const line of lines) {
      if (!started) {
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        started = true;
      }
      response.write(`${JSON.stringify(line)}\n`);
    }
    if (!started) response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    response.end();
  } catch (error) {
    if (response.headersSent) response.destroy();
    else answer(response, 404, error instanceof Error ? error.message : String(error));
  }
}

/** `runtime.list` (`project.processes`): the instances Rise manages, of one project, as JSON. */
async function serveList(
  options: RuntimeGatewayOptions,
  request: http.IncomingMessage,
  response: http.ServerResponse,
) {
  if (!gatewayTokenMatches(request.headers.authorization, options.token))
    return answer(response, 401, 'bad token');
  const url = new URL(request.url ?? '/', 'http://gateway.invalid');
  const parsed = gatewayListRequest.safeParse({
    runtime: url.searchParams.get('runtime') ?? undefined,
    project: url.searchParams.get('project') ?? undefined,
  });
  if (!parsed.success) return answer(response, 400, parsed.error.issues[0]?.message ?? 'bad request');
  try {
    const statuses = await options.runtimeFor(parsed.data.runtime).list({ project: parsed.data.project });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(statuses));
  } catch (error) {
    answer(response, 502, error instanceof Error ? error.message : String(error));
  }
}

const MAX_ONE_OFF_BODY = 1024 * 1024;

/** `runtime.runOneOff` (`rise run`): the spec as JSON in, output lines then the result as NDJSON out. */
async function serveOneOff(
  options: RuntimeGatewayOptions,
  request: http.IncomingMessage,
  response: http.ServerResponse,
) {
  if (!gatewayTokenMatches(request.headers.authorization, options.token))
    return answer(response, 401, 'bad token');
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > MAX_ONE_OFF_BODY) return answer(response, 413, 'one-off spec too large');
  }
  const parsed = gatewayOneOffRequest.safeParse(parseJson(body));
  if (!parsed.success) return answer(response, 400, parsed.error.issues[0]?.message ?? 'bad request');
  const { runtime, spec, timeoutMs } = parsed.data;
  const abort = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  try {
    const result = await options.runtimeFor(runtime).runOneOff(spec, {
      timeoutMs,
      signal: abort.signal,
      onOutput: (line) => {
        response.write(`${JSON.stringify({ type: 'line', line })}\n`);
      },
    });
    response.end(`${JSON.stringify({ type: 'result', result })}\n`);
  } catch (error) {
    response.end(
      `${JSON.stringify({ type: 'error', message: error instanceof Error ? error.message : String(error) })}\n`,
    );
  }
}

async function serveExec(
  options: RuntimeGatewayOptions,
  sockets: WebSocketServer,
  request: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
) {
  const refuse = (status: number, message: string) =>
    socket.end(
      `HTTP/1.1 ${status} Refused\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`,
    );
  const url = new URL(request.url ?? '/', 'http://gateway.invalid');
  if (!gatewayTokenMatches(request.headers.authorization, options.token)) return refuse(401, 'bad token');
  if (url.pathname !== '/exec') return refuse(404, 'not found');
  const parsed = gatewayExecRequest.safeParse(readGatewayQuery(url));
  if (!parsed.success) return refuse(400, parsed.error.issues[0]?.message ?? 'bad request');
  const { runtime: runtimeName, project, deployment, ...exec } = parsed.data;
  const runtime = options.runtimeFor(runtimeName);
  if (!runtime.exec) return refuse(412, `${runtimeName} cannot run commands in apps`);
  let session: Awaited<ReturnType<NonNullable<Runtime['exec']>>>;
  try {
    session = await runtime.exec(project, deployment, exec);
  } catch (error) {
    return refuse(404, error instanceof Error ? error.message : String(error));
  }
  let connected = false;
  socket.once('close', () => {
    if (!connected) session.close();
  });
  sockets.handleUpgrade(request, socket, head, (client) => {
    connected = true;
    session.onOutput((stream, data) => {
      if (client.readyState === WebSocket.OPEN) client.send(outputFrame(stream, data));
    });
    client.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) return session.write(bytes);
      const message = execClientMessage.safeParse(parseJson(bytes.toString('utf8')));
      if (!message.success) return;
      if (message.data.type === 'eof') session.endInput();
      else session.resize(message.data.cols, message.data.rows).catch(() => undefined);
    });
    client.on('close', () => session.close());
    session.exitCode.then((code) => {
      if (client.readyState === WebSocket.OPEN) client.send(JSON.stringify({ type: 'exit', code }));
      client.close(1000);
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
