import WebSocket from 'ws';
import { EXEC_PATH, readOutputFrame } from '../../../../src/shared/exec-frames';
import { CliError, EXIT } from '../../lib/errors';

export type ExecTarget = {
  url: string;
  token: string;
  project: string;
  deployment?: string;
  /** Which instance: the process (default web) and its replica (default 0). */
  process?: string;
  replica?: number;
  cmd: string[];
  tty: boolean;
  cols?: number;
  rows?: number;
};

export type ExecIo = {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Terminal size changes (a tty session only). */
  onResize?: (listener: (cols: number, rows: number) => void) => () => void;
};

const BY_STATUS: Record<number, number> = {
  400: EXIT.usage,
  401: EXIT.unauthenticated,
  403: EXIT.forbidden,
  404: EXIT.notFound,
  409: EXIT.conflict,
  412: EXIT.conflict,
};

/** The WebSocket address of an exec request: the API's origin, ws(s), the command once per argument. */
export function execUrl(target: ExecTarget): URL {
  const url = new URL(EXEC_PATH, `${target.url}/`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('project', target.project);
  if (target.deployment) url.searchParams.set('deployment', target.deployment);
  if (target.process) url.searchParams.set('process', target.process);
  if (target.replica !== undefined) url.searchParams.set('replica', String(target.replica));
  for (const argument of target.cmd) url.searchParams.append('cmd', argument);
  if (target.tty) url.searchParams.set('tty', '1');
  if (target.cols) url.searchParams.set('cols', String(target.cols));
  if (target.rows) url.searchParams.set('rows', String(target.rows));
  return url;
}

/**
 * Runs a command in the project's running instance: input from `io.stdin`, output to `io.stdout` and
 * `io.stderr` as it comes. Resolves with the command's exit code.
 */
export function runExec(target: ExecTarget, io: ExecIo): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(execUrl(target), {
      headers: { authorization: `Bearer ${target.token}`, 'user-agent': 'rise-cli' },
    });
    let exitCode: number | null = null;
    let failure: CliError | null = null;
    const cleanups: (() => void)[] = [];
    const cleanup = () => {
      for (const undo of cleanups.splice(0)) undo();
    };
    let refused = false;
    socket.on('unexpected-response', (_request, response) => {
      // Rise refused before the upgrade (no permission, no running deployment): the body says why.
      refused = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        reject(new CliError(body.trim() || `Rise answered ${status}.`, BY_STATUS[status] ?? EXIT.failure));
        socket.terminate();
      });
    });
    socket.on('open', () => {
      const onData = (chunk: Buffer | string) =>
        socket.send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, { binary: true });
      const onEnd = () => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'eof' }));
      };
      io.stdin.on('data', onData);
      io.stdin.on('end', onEnd);
      cleanups.push(() => {
        io.stdin.off('data', onData);
        io.stdin.off('end', onEnd);
        io.stdin.pause();
      });
      const stopResize = io.onResize?.((cols, rows) =>
        socket.send(JSON.stringify({ type: 'resize', cols, rows })),
      );
      if (stopResize) cleanups.push(stopResize);
      io.stdin.resume();
    });
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        const frame = readOutputFrame(bytes);
        if (frame) (frame.stream === 'stdout' ? io.stdout : io.stderr).write(Buffer.from(frame.data));
        return;
      }
      const message = JSON.parse(bytes.toString('utf8')) as { type: string; code?: number; message?: string };
      if (message.type === 'exit') exitCode = message.code ?? EXIT.failure;
      else if (message.type === 'error') failure = new CliError(message.message ?? 'the command failed');
    });
    socket.on('error', (error) => {
      cleanup();
      if (refused) return;
      reject(new CliError(`Could not reach Rise at ${target.url}: ${error.message}`, EXIT.unreachable));
    });
    socket.on('close', () => {
      cleanup();
      if (refused) return;
      if (exitCode !== null) resolve(exitCode < 0 ? EXIT.failure : exitCode);
      else
        reject(
          failure ??
            new CliError('The connection to Rise closed before the command ended.', EXIT.unreachable),
        );
    });
  });
}
