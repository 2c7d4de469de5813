import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { collectOutput } from './collect-output';

export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs the built CLI (`cli/dist/rise.js`) as a user would, with only PATH, a private config home,
 * CI=true (no prompts) and the given env (stdin: `input`, or none); `onStderr` sees stderr as it grows.
 */
export function runCli(
  args: string[],
  options: {
    home: string;
    env: Record<string, string>;
    cwd?: string;
    /** Written to the CLI's stdin, which then ends; without it stdin is closed from the start. */
    input?: string;
    onStderr?: (text: string, child: ChildProcess) => void;
  },
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'cli/dist/rise.js'), ...args], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH,
        XDG_CONFIG_HOME: options.home,
        CI: 'true',
        ...options.env,
      } as unknown as NodeJS.ProcessEnv,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] as const,
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    if (options.input !== undefined) child.stdin?.end(options.input);
    const output = collectOutput(child, (stderr) => options.onStderr?.(stderr, child));
    child.on('exit', (code) => resolve({ code, stdout: output.stdout, stderr: output.stderr }));
  });
}
