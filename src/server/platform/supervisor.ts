import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type BackoffPolicy, DEFAULT_BACKOFF, RestartBackoff } from './restart-backoff';

export type SupervisedProcess = { name: string; child: ChildProcess; exited: Promise<number | null> };

/**
 * Starts a child with an argument array and prefixes each of its output lines with its name (once: a
 * line the child already prefixed with it stays as it is); with `output` (an open file descriptor) its
 * stdout and stderr go to that file instead.
 *
 * The child gets its own process group: Ctrl+C in a terminal signals the whole foreground group, and
 * the supervisor, not the terminal, decides the order in which children stop.
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
    detached: true,
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) {
      createInterface({ input: stream }).on('line', (line) =>
        console.log(line.startsWith(prefix) ? line : `${prefix}${line}`),
      );
    }
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

/** How a child ended: `exit code 1`, `signal SIGKILL`. */
export function describeExit(child: ChildProcess): string {
  if (child.signalCode) return `signal ${child.signalCode}`;
  return `exit code ${child.exitCode ?? 'unknown'}`;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

export type ServiceOptions = {
  name: string;
  /**
   * Starts the child and resolves when it is usable, or throws; `restart` is true after a death
   * (e.g. Caddy then resumes its last config).
   */
  start: (restart: boolean) => Promise<SupervisedProcess>;
  /** One line per event: a death (with its exit code or signal), a restart, a failed restart, the stop. */
  log: (line: string) => void;
  backoff?: BackoffPolicy;
  /** Grace of SIGTERM before SIGKILL when stopping. */
  stopGraceMs?: number;
};

/**
 * A child that is kept running: when it dies without being asked to, it is restarted after a backoff
 * (see RestartBackoff), and a restart that fails is tried again the same way. `stop` ends it for good.
 */
export class SupervisedService {
  readonly name: string;
  private current: SupervisedProcess | null = null;
  private startedAt = 0;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private launching: Promise<void> | null = null;
  private readonly backoff: RestartBackoff;

  constructor(private readonly options: ServiceOptions) {
    this.name = options.name;
    this.backoff = new RestartBackoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  /** The running child's pid, if any. */
  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  /** The first start; a failure here is the caller's (start-up stops), not a restart. */
  start(): Promise<void> {
    return this.launch(false);
  }

  /** Stops the child (SIGTERM, then SIGKILL after the grace) and any pending restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.launching?.catch(() => {});
    if (this.current) await stopProcess(this.current, this.options.stopGraceMs);
    this.options.log(`${this.name} stopped`);
  }

  private launch(restart: boolean): Promise<void> {
    const launching = (async () => {
      const child = await this.options.start(restart);
      if (this.stopping) {
        await stopProcess(child, this.options.stopGraceMs);
        return;
      }
      this.current = child;
      this.startedAt = Date.now();
      void child.exited.then(() => this.exited(child));
      if (restart) this.options.log(`${this.name} restarted (pid ${child.child.pid})`);
    })();
    this.launching = launching;
    return launching.finally(() => {
      if (this.launching === launching) this.launching = null;
    });
  }

  private exited(child: SupervisedProcess) {
    if (this.stopping || child !== this.current) return;
    this.current = null;
    const uptime = Date.now() - this.startedAt;
    const delay = this.backoff.next(uptime);
    this.options.log(
      `${this.name} (pid ${child.child.pid}) exited unexpectedly (${describeExit(child.child)}) after ${seconds(uptime)}; restarting in ${seconds(delay)}`,
    );
    this.scheduleRestart(delay);
  }

  private scheduleRestart(delay: number) {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopping) return;
      this.launch(true).catch((error: unknown) => {
        if (this.stopping) return;
        const next = this.backoff.next(0);
        const reason = error instanceof Error ? error.message : String(error);
        this.options.log(`${this.name} failed to restart: ${reason}; trying again in ${seconds(next)}`);
        this.scheduleRestart(next);
      });
    }, delay);
  }
}
