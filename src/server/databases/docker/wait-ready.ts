import type Dockerode from 'dockerode';
import type { ExecCommand } from '@/server/databases/engines';
import { runExec } from './docker-exec';
import { demuxedText } from './exec-frames';

const READY_TIMEOUT_MS = 90_000;
const POLL_MS = 1000;
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Polls the engine's checks until all pass. The official images start a temporary server while they
 * initialise, so the checks include a real login over TCP, which only the final server accepts.
 */
export async function waitReady(
  container: Dockerode.Container,
  what: string,
  checks: ExecCommand[],
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? READY_TIMEOUT_MS);
  let lastProblem = 'not checked yet';
  for (;;) {
    options.signal?.throwIfAborted();
    const info = await container.inspect();
    // A database engine that exits while starting will not get better by restarting.
    if (!info.State.Running || info.State.Restarting) {
      throw await notReady(container, `${what} stopped (exit code ${info.State.ExitCode})`);
    }
    const problem = await firstFailure(container, checks);
    if (!problem) return;
    lastProblem = problem;
    if (Date.now() >= deadline) {
      const seconds = Math.round((options.timeoutMs ?? READY_TIMEOUT_MS) / 1000);
      throw await notReady(container, `${what} was not ready within ${seconds} s (${lastProblem})`);
    }
    await sleep(POLL_MS, options.signal);
  }
}

async function firstFailure(container: Dockerode.Container, checks: ExecCommand[]): Promise<string | null> {
  for (const check of checks) {
    const tool = check.cmd[0];
    try {
      const result = await runExec(container, check, { timeoutMs: CHECK_TIMEOUT_MS });
      if (result.exitCode !== 0) {
        const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').at(-1);
        return `${tool} exited with code ${result.exitCode}${detail ? `: ${detail}` : ''}`;
      }
      if (check.expectStdout !== undefined && result.stdout.trim() !== check.expectStdout) {
        return `${tool} answered ${JSON.stringify(result.stdout.trim().slice(0, 200))}`;
      }
    } catch (error) {
      // The container can stop between inspect and exec, or the engine hang.
      return `${tool} could not run: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return null;
}

async function notReady(container: Dockerode.Container, message: string): Promise<Error> {
  const logs = await lastLogLines(container, 20);
  return new Error(logs ? `${message}; last log lines:\n${logs}` : message);
}

export async function lastLogLines(container: Dockerode.Container, lines: number): Promise<string> {
  try {
    const buffer = await container.logs({ stdout: true, stderr: true, tail: lines, follow: false });
    return demuxedText(buffer).trim();
  } catch {
    return '';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
