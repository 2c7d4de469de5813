import { spawn } from 'node:child_process';

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs a program with an argument array (no shell) and buffers its output; `log` also gets each line
 * as it arrives (long builds show progress). A non-zero exit is returned, not thrown.
 */
export function runCommand(
  program: string,
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
    log?: (line: string) => void;
  } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: (options.env ?? process.env) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stderr += `\n[killed after ${options.timeoutMs} ms]`;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    const forward = (chunk: string) => {
      if (!options.log) return;
      for (const line of chunk.split('\n')) if (line.trim()) options.log(line);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      forward(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      forward(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input);
  });
}

/** Like runCommand, but a non-zero exit throws with the command and the end of its output. */
export async function runOrThrow(
  program: string,
  args: string[],
  options: Parameters<typeof runCommand>[2] = {},
): Promise<string> {
  const result = await runCommand(program, args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().slice(-6000);
    throw new Error(`${program} ${args.join(' ')} exited with ${result.code}:\n${tail}`);
  }
  return result.stdout;
}
