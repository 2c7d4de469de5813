import type { Duplex, Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ExecCommand } from '@/server/databases/engines';
import { ExecFrameParser } from './exec-frames';

const STDERR_TAIL = 4000;

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  signal?: AbortSignal;
  /**
   * Gives up waiting after this long (the process may linger in the container): clients of a hung
   * server otherwise wait forever.
   */
  timeoutMs?: number;
}

/** Runs a command in the container and buffers its output; a non-zero exit is not an error here. */
export async function runExec(
  container: Dockerode.Container,
  command: ExecCommand,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeout].filter((signal) => signal !== undefined);
  const stdout: Buffer[] = [];
  try {
    const run = streamExec(container, command, { failOnExit: false, signal: AbortSignal.any(signals) });
    let result = await run.next();
    while (!result.done) {
      stdout.push(result.value);
      result = await run.next();
    }
    return { ...result.value, stdout: Buffer.concat(stdout).toString() };
  } catch (error) {
    if (timeout?.aborted && !options.signal?.aborted) {
      throw new Error(
        `${command.cmd[0]} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s`,
      );
    }
    throw error;
  }
}

/** Runs a command and returns its trimmed stdout; throws with the stderr tail when it exits non-zero. */
export async function execOrThrow(
  container: Dockerode.Container,
  command: ExecCommand,
  options: ExecOptions = {},
): Promise<string> {
  const result = await runExec(container, command, options);
  if (result.exitCode !== 0) throw execFailed(command, result.exitCode, result.stderr);
  return result.stdout.trim();
}

/**
 * Runs a command and yields its stdout as it arrives (pulling from the socket only as fast as the
 * consumer reads, so a slow consumer does not buffer a whole dump in memory). With `failOnExit`, a
 * non-zero exit throws with the stderr tail after the output ended; the generator returns the
 * exit code and stderr tail either way.
 */
export async function* streamExec(
  container: Dockerode.Container,
  command: ExecCommand,
  options: { stdin?: Readable; signal?: AbortSignal; failOnExit?: boolean } = {},
): AsyncGenerator<Buffer, { exitCode: number; stderr: string }> {
  const { stdin, signal, failOnExit = true } = options;
  signal?.throwIfAborted();
  const exec = await container.exec({
    Cmd: command.cmd,
    Env: Object.entries(command.env ?? {}).map(([key, value]) => `${key}=${value}`),
    AttachStdin: Boolean(stdin),
    AttachStdout: true,
    AttachStderr: true,
  });
  const socket = (await exec.start({ hijack: true, stdin: Boolean(stdin) })) as Duplex;
  const abort = () => socket.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', abort, { once: true });
  // Only reading stdin can fail the feed (socket trouble ends the output below); it ends the exec.
  let feedError: unknown;
  const feeding = stdin
    ? feed(stdin, socket).catch((error: unknown) => {
        feedError = error;
        socket.destroy();
      })
    : undefined;
  let stderr = '';
  let broken: unknown;
  try {
    const parser = new ExecFrameParser();
    for await (const chunk of socket) {
      for (const frame of parser.push(chunk as Buffer)) {
        if (frame.stream === 'stdout') yield frame.data;
        else stderr = (stderr + frame.data.toString()).slice(-STDERR_TAIL);
      }
    }
  } catch (error) {
    // A process that exits while we still write its stdin resets the connection; its exit code and
    // stderr explain more than the socket error, so look at them first.
    if (signal?.aborted) throw error;
    broken = error;
  } finally {
    signal?.removeEventListener('abort', abort);
    socket.destroy();
    await feeding;
  }
  if (feedError) throw feedError;
  const exitCode = await exitCodeOf(exec);
  if (failOnExit && exitCode !== 0) throw execFailed(command, exitCode, stderr);
  if (broken) throw broken;
  return { exitCode, stderr };
}

export function execFailed(command: ExecCommand, exitCode: number, stderr: string): Error {
  const tail = stderr.trim().slice(-STDERR_TAIL);
  return new Error(`${command.cmd[0]} exited with code ${exitCode}${tail ? `: ${tail}` : ''}`);
}

/** Writes stdin into the exec, then half-closes the socket: the process reads EOF, output keeps flowing. */
async function feed(stdin: Readable, socket: Duplex): Promise<void> {
  for await (const chunk of stdin) {
    if (socket.destroyed) return;
    if (!socket.write(chunk)) await drainedOrClosed(socket);
  }
  if (!socket.destroyed) socket.end();
}

function drainedOrClosed(socket: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) socket.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) socket.on(event, done);
  });
}

/** The output can end a moment before Docker records the exit code. */
async function exitCodeOf(exec: Dockerode.Exec): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('docker exec did not report an exit code');
}
