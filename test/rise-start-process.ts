/**
 * Runs the real `npm start` (dist/start.mjs, bundled from scripts/start.ts) for tests: a fresh environment (nothing from the test's
 * own database or secrets), its output collected, and the processes it started found through /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export type RunningRise = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  output: () => string;
  exit: () => number | string | undefined;
  waitForExit: (timeoutMs: number) => Promise<number | string>;
};

/** The environment of `npm start` on a fresh machine, plus `overrides`. */
export function startEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const dropped = new Set(['DATABASE_URL', 'AUTH_SECRET', 'NODE_ENV']);
  const env: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('RISE_') && !dropped.has(key)),
  );
  Object.assign(env, { CI: 'true' }, overrides);
  return env as NodeJS.ProcessEnv;
}

/**
 * `processGroup`: started as a terminal starts it, in a process group of its own, so that
 * `process.kill(-pid, 'SIGINT')` is a Ctrl+C (the terminal signals the whole foreground group).
 */
export function startRise(env: NodeJS.ProcessEnv, options: { processGroup?: boolean } = {}): RunningRise {
  // What `npm start` runs (package.json): the launcher bundled by `npm ci` / `npm run build`.
  const child = spawn(process.execPath, ['--max-semi-space-size=1', 'dist/start.mjs'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exit: number | string | undefined;
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => {
      exit = code ?? signal ?? 'unknown';
      resolve(exit);
    }),
  );
  const output = () => `--- stdout\n${stdout.slice(-20_000)}\n--- stderr\n${stderr.slice(-20_000)}`;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output,
    exit: () => exit,
    waitForExit: (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`start did not exit within ${timeoutMs} ms\n${output()}`)),
          timeoutMs,
        );
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
  };
}

type ProcessInfo = { pid: number; ppid: number; command: string[] };

function allProcesses(): ProcessInfo[] {
  const result: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      result.push({ pid: Number(entry), ppid: Number(fields[1]), command });
    } catch {
      // exited meanwhile
    }
  }
  return result;
}

/** The direct children of `pid` whose command line contains `text`. */
export function childrenMatching(pid: number, text: string): number[] {
  return allProcesses()
    .filter((info) => info.ppid === pid && info.command.join(' ').includes(text))
    .map((info) => info.pid);
}

/** All descendants of `pid`. */
export function descendants(pid: number): number[] {
  const processes = allProcesses();
  const result: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const info of processes.filter((candidate) => candidate.ppid === parent)) {
      result.push(info.pid);
      queue.push(info.pid);
    }
  }
  return result;
}

/** Live processes (not zombies) whose command line contains `text`. */
export function processesMatching(text: string): number[] {
  return allProcesses()
    .filter((info) => info.pid !== process.pid && info.command.join(' ').includes(text))
    .map((info) => info.pid);
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 15 s, for every pid still alive. */
export async function killAll(pids: number[]): Promise<void> {
  const alive = pids.filter(isAlive);
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
  await waitFor(() => !alive.some(isAlive), {
    description: 'the processes to exit after SIGTERM',
    timeoutMs: 15_000,
    intervalMs: 100,
  }).catch(() => undefined); // the survivors get SIGKILL below
  for (const pid of alive.filter(isAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

/**
 * What a failed run of start processes leaves: each one still running is killed with its children,
 * then `knownPids` and every process of `dataDirs` (their postgres); then the directories go.
 */
export async function cleanUpStarts(
  started: RunningRise[],
  dataDirs: string[],
  knownPids: Iterable<number>,
): Promise<void> {
  const pids = new Set(knownPids);
  for (const running of started) {
    if (running.child.pid && running.exit() === undefined) {
      for (const pid of descendants(running.child.pid)) pids.add(pid);
      running.child.kill('SIGKILL');
    }
  }
  for (const dir of dataDirs) for (const pid of processesMatching(dir)) pids.add(pid);
  await killAll([...pids]);
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
