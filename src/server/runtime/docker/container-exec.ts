import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ExecOptions, ExecSession } from '../types';

/**
 * Starts `options.cmd` in a running container through the Docker API and connects to it: input goes
 * to the command's stdin; output comes as stdout and stderr (one stream with a terminal); the exit code
 * is read from the engine once the connection ends.
 */
export async function execInContainer(
  docker: Dockerode,
  container: Dockerode.Container,
  options: ExecOptions,
): Promise<ExecSession> {
  const exec = await container.exec({
    Cmd: options.cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    ...(options.tty ? { Env: ['TERM=xterm-256color'] } : {}),
    ...(options.tty && options.cols && options.rows
      ? { ConsoleSize: [options.rows, options.cols] as [number, number] }
      : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: options.tty });
  const listeners: ((stream: 'stdout' | 'stderr', data: Buffer) => void)[] = [];
  const emit = (which: 'stdout' | 'stderr') => (data: Buffer) => {
    for (const listener of listeners) listener(which, data);
  };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', emit('stdout'));
  stderr.on('data', emit('stderr'));
  if (options.tty) stream.pipe(stdout);
  else docker.modem.demuxStream(stream, stdout, stderr);

  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  const exitCode = ended.then(async () => {
    // The engine may not have recorded the exit yet when the connection closes.
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect();
      if (!info.Running && info.ExitCode !== null) return info.ExitCode;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Still running: the connection was closed from Rise's side (the client left).
    return -1;
  });
  return {
    write: (data) => {
      if (!stream.destroyed) stream.write(data);
    },
    endInput: () => {
      // Half-close: the command reads end of file and may still write its output.
      const socket = stream as unknown as { end?: () => void };
      socket.end?.();
    },
    resize: async (cols, rows) => {
      if (options.tty) await exec.resize({ w: cols, h: rows });
    },
    onOutput: (listener) => {
      listeners.push(listener);
    },
    exitCode,
    close: () => stream.destroy(),
  };
}
