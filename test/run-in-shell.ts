import { spawn } from 'node:child_process';
import { collectOutput } from './collect-output';

export type ShellResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `command` as a user would type it in a terminal at `cwd`, with exactly `env` (no inherited
 * variables), and collects its output; `onStderr` sees stderr as it grows. Killed after `timeoutMs`.
 */
export function runInShell(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    timeoutMs?: number;
    onStderr?: (stderr: string) => void;
  },
): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env as unknown as NodeJS.ProcessEnv, // nothing inherited, no NODE_ENV: a terminal's
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collectOutput(child, options.onStderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: output.stdout, stderr: output.stderr });
    });
  });
}
