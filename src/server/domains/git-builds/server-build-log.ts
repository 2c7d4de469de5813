import type { Tx } from '@/server/db';
import { inTransaction } from '@/server/transaction';
import { sanitizeBuildLogLine } from '@/shared/builders/build-log-line';
import { buildLogRepo } from '../deployments/build-log.repo';
import { BUILD_LOG_MAX_CHARS, BUILD_LOG_MAX_LINES } from '../deployments/build-log.schema';

const FLUSH_MS = 500;
const TAIL_LINES = 20;

/**
 * A server build's output, written to the deployment's build log (the lines `rise d logs --build` and
 * the dashboard show) in batches, within the same limits as a client build's; the last lines are kept
 * for the error of a failed build.
 */
export class ServerBuildLog {
  private pending: string[] = [];
  private readonly tail: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private stored = { lines: 0, chars: 0 };

  constructor(
    private readonly projectId: string,
    private readonly deploymentId: string,
  ) {}

  readonly add = (line: string) => {
    const clean = sanitizeBuildLogLine(line);
    if (!clean) return;
    this.pending.push(clean);
    this.tail.push(clean);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  };

  lastLines(): string[] {
    return [...this.tail];
  }

  /** Writes what is buffered; resolves once every line added so far is stored (or dropped). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => this.write(lines)).catch(() => undefined);
    return this.writing;
  }

  private async write(lines: string[]) {
    if (lines.length === 0) return;
    await inTransaction(async (tx: Tx) => {
      await buildLogRepo.lockDeployment(this.projectId, this.deploymentId, tx);
      const accepted: string[] = [];
      for (const line of lines) {
        if (
          this.stored.lines + 1 > BUILD_LOG_MAX_LINES ||
          this.stored.chars + line.length > BUILD_LOG_MAX_CHARS
        )
          break;
        accepted.push(line);
        this.stored.lines += 1;
        this.stored.chars += line.length;
      }
      if (accepted.length > 0) await buildLogRepo.insertLines(this.deploymentId, accepted, tx);
    });
  }
}
