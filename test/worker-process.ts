import { type ChildProcess, spawn } from 'node:child_process';

export type WorkerProcess = { child: ChildProcess; output: () => string; stop: () => Promise<number | null> };

/** The real worker (`worker/main.ts`) as a child process, resolved once it reports ready. */
export async function startWorkerProcess(
  env: Record<string, string>,
  args: string[] = [],
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready after 60 s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk;
      if (log.includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk) => (log += chunk));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was ready:\n${log}`));
    });
  });
  return {
    child,
    output: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
