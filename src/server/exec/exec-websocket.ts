import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { env } from '@/env';
import { resolveCaller } from '@/server/auth/resolve-caller';
import {
  type ExecClientMessage,
  type ExecServerMessage,
  execClientMessage,
  execRequest,
} from '@/server/domains/exec/exec.schema';
import { openExecSession } from '@/server/domains/exec/exec.service';
import { AppError } from '@/server/errors';
import { createRuntime } from '@/server/runtime';
import type { ExecSession } from '@/server/runtime/types';
import { outputFrame } from '@/shared/exec-frames';

const HTTP_STATUS: Record<AppError['code'], number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
  INTERNAL: 500,
};

const server = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

/** The query string of an exec request, as execRequest reads it (`cmd` once per argument). */
export function parseExecQuery(url: URL) {
  const parsed = execRequest.safeParse({
    project: url.searchParams.get('project') ?? undefined,
    deployment: url.searchParams.get('deployment') ?? undefined,
    cmd: url.searchParams.getAll('cmd'),
    tty: url.searchParams.get('tty') === '1',
    cols: url.searchParams.get('cols') ?? undefined,
    rows: url.searchParams.get('rows') ?? undefined,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('BAD_REQUEST', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * A browser sends its cookies with a WebSocket request from any site; only pages of Rise itself may
 * open one (cross-site WebSocket hijacking). Clients that are not browsers send no Origin.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  riseUrl: string,
): boolean {
  if (!origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.origin === new URL(riseUrl).origin || (host !== undefined && parsed.host === host);
}

function refuse(socket: Duplex, status: number, message: string) {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Refused'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function send(socket: WebSocket, message: ExecServerMessage) {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function connect(socket: WebSocket, session: ExecSession, deploymentId: string, ended: Promise<number>) {
  send(socket, { type: 'started', deployment: deploymentId });
  session.onOutput((stream, data) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(outputFrame(stream, data));
  });
  socket.on('message', (data: RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      session.write(bytes);
      return;
    }
    let message: ExecClientMessage;
    try {
      message = execClientMessage.parse(JSON.parse(bytes.toString('utf8')));
    } catch {
      send(socket, { type: 'error', message: 'unknown control message (expected resize or eof)' });
      return;
    }
    if (message.type === 'eof') session.endInput();
    else session.resize(message.cols, message.rows).catch(() => undefined);
  });
  socket.on('close', () => session.close());
  ended.then(
    (code) => {
      send(socket, { type: 'exit', code });
      socket.close(1000);
    },
    (error: unknown) => {
      send(socket, { type: 'error', message: error instanceof Error ? error.message : String(error) });
      socket.close(1011);
    },
  );
}

/**
 * Serves `rise exec` and the dashboard's terminal: a WebSocket on EXEC_PATH whose query names the
 * project and the command. Authenticated like the API (bearer token or session cookie) and authorized
 * with `project:exec` before the upgrade; a refusal is a plain HTTP answer with the reason.
 */
export async function handleExecUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer) {
  socket.on('error', () => socket.destroy());
  const url = new URL(request.url ?? '/', 'http://rise.invalid');
  if (!originAllowed(request.headers.origin, request.headers.host, env.RISE_URL)) {
    refuse(socket, 403, 'Cross-site requests may not open a command in an app.');
    return;
  }
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) headers.set(key, value.join(', '));
  }
  try {
    const input = parseExecQuery(url);
    const caller = await resolveCaller(headers);
    if (!caller) throw new AppError('UNAUTHORIZED', 'Sign in first: run `rise login`.');
    const via = request.headers['user-agent']?.startsWith('rise-cli') ? 'cli' : 'terminal';
    const { session, deploymentId, ended } = await openExecSession(caller, input, via, {
      runtimeFor: (runtime) => createRuntime(runtime),
    });
    let connected = false;
    // A request ws refuses (a bad handshake) never connects: the command must not run on unattended.
    socket.once('close', () => {
      if (!connected) session.close();
    });
    server.handleUpgrade(request, socket, head, (websocket) => {
      connected = true;
      connect(websocket, session, deploymentId, ended);
    });
  } catch (error) {
    if (error instanceof AppError) refuse(socket, HTTP_STATUS[error.code], error.message);
    else {
      console.error('exec:', error);
      refuse(socket, 500, 'Could not start the command; see the web server log.');
    }
  }
}
