import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type SupervisedProcess = { name: string; child: ChildProcess; exited: Promise<number | null> };

/**
 * Starts a child with an argument array and prefixes each of its output lines with its name; with
 * `output` (an open file descriptor) its stdout and stderr go to that file instead.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; output?: number } = {},
): SupervisedProcess {
  const output = options.output ?? 'pipe';
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', output, output],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`[${name}] ${line}`));
  }
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { name, child, exited };
}

/** SIGTERM, then SIGKILL after `graceMs` if the process is still running. */
export async function stopProcess(process: SupervisedProcess, graceMs = 15_000): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGTERM');
  const timer = setTimeout(() => process.child.kill('SIGKILL'), graceMs);
  await process.exited;
  clearTimeout(timer);
}
