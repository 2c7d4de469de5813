import { PassThrough, Writable } from 'node:stream';
import type { Exec, V1Status } from '@kubernetes/client-node';
import { execOutput } from '../exec-output';
import type { ExecOptions, ExecSession } from '../types';

/** The channel of the exec protocol that carries terminal sizes (`{"Width":…,"Height":…}`). */
const RESIZE_CHANNEL = 4;
/** A command Kubernetes could not run (not found, not executable): what shells answer for it. */
export const CANNOT_RUN_EXIT_CODE = 126;
const WS_OPEN = 1;

/**
 * The exit code the status channel tells: `Success` is 0, `NonZeroExitCode` carries the code as its
 * `ExitCode` cause; any other failure (the command could not start) is CANNOT_RUN_EXIT_CODE.
 */
export function statusExitCode(status: V1Status): number {
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((item) => item.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return code;
  }
  return CANNOT_RUN_EXIT_CODE;
}

/** A resize message of the exec protocol, channel byte first. */
export function resizeFrame(cols: number, rows: number): Buffer {
  return Buffer.concat([
    Buffer.from([RESIZE_CHANNEL]),
    Buffer.from(JSON.stringify({ Width: cols, Height: rows })),
  ]);
}

type ExecSocket = {
  readyState: number;
  send(data: Buffer): void;
  close(): void;
  on(event: 'close', listener: () => void): unknown;
};

/**
 * Runs `options.cmd` in the app container of a running pod (the API server's pods/exec, a WebSocket
 * speaking the channel protocol: stdin 0, stdout 1, stderr 2, status 3, resize 4): input goes to the
 * command's stdin, ending it closes stdin (protocol v5; on v4 the connection closes, as kubectl does);
 * output comes as stdout and stderr (one stream with a terminal); the exit code comes on the status
 * channel, after the output.
 */
export async function execInPod(
  exec: Exec,
  target: { namespace: string; pod: string; container: string },
  options: ExecOptions,
): Promise<ExecSession> {
  const output = execOutput();
  const sink = (stream: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        output.emit(stream, Buffer.from(chunk));
        callback();
      },
    });
  const stdin = new PassThrough();
  let settle: (status: V1Status | null) => void = () => {};
  const status = new Promise<V1Status | null>((resolve) => {
    settle = resolve;
  });
  const socket = (await exec.exec(
    target.namespace,
    target.pod,
    target.container,
    options.cmd,
    sink('stdout'),
    options.tty ? null : sink('stderr'),
    stdin,
    options.tty,
    (received) => settle(received),
  )) as unknown as ExecSocket;
  // Closed without a status: from Rise's side (the client left), or the connection broke.
  socket.on('close', () => settle(null));
  const exitCode = status.then((received) => {
    if (!received) return -1;
    const code = statusExitCode(received);
    if (received.status !== 'Success' && received.reason !== 'NonZeroExitCode' && received.message) {
      output.emit('stderr', Buffer.from(`${received.message}\n`));
    }
    return code;
  });
  const resize = async (cols: number, rows: number) => {
    if (options.tty && socket.readyState === WS_OPEN) socket.send(resizeFrame(cols, rows));
  };
  if (options.tty && options.cols && options.rows) await resize(options.cols, options.rows);
  return {
    write: (data) => {
      if (!stdin.writableEnded) stdin.write(data);
    },
    endInput: () => {
      if (!stdin.writableEnded) stdin.end();
    },
    resize,
    onOutput: (listener) => output.listen(listener),
    exitCode,
    close: () => socket.close(),
  };
}
