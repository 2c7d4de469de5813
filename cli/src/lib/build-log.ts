import { sanitizeBuildLogLine } from '../../../src/shared/builders/build-log-line';

/** The server takes at most this many lines per call (BUILD_LOG_BATCH_MAX_LINES). */
const BATCH_LINES = 200;
/** Lines wait at most this long before they are sent, so the dashboard follows the build closely. */
const INTERVAL_MS = 2000;
/** Lines held while the server is slow; more than a deployment's build log holds is never useful. */
const MAX_PENDING = 10_000;

/**
 * Sends a build's output lines to the deployment's log (`deployment.appendBuildLog`) in order, in
 * batches, one request at a time. It never fails the build: when the server refuses or cannot be
 * reached it stops sending and reports the problem once; when the log is full it stops quietly.
 */
export class BuildLogShipper {
  private pending: string[] = [];
  private sending: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly send: (lines: string[]) => Promise<{ full: boolean }>,
    private readonly onProblem: (error: unknown) => void,
    private readonly options: { batchLines?: number; intervalMs?: number } = {},
  ) {}

  add(line: string): void {
    if (this.stopped || this.pending.length >= MAX_PENDING) return;
    const clean = sanitizeBuildLogLine(line);
    if (!clean) return;
    this.pending.push(clean);
    if (this.pending.length >= (this.options.batchLines ?? BATCH_LINES)) void this.drain();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.drain(), this.options.intervalMs ?? INTERVAL_MS);
      this.timer.unref?.();
    }
  }

  /** Sends what is left and resolves when every line was sent (or sending stopped). */
  close(): Promise<void> {
    return this.drain();
  }

  private drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sending = this.sending.then(async () => {
      while (this.pending.length > 0 && !this.stopped) {
        const batch = this.pending.splice(0, this.options.batchLines ?? BATCH_LINES);
        try {
          if ((await this.send(batch)).full) this.stop();
        } catch (error) {
          this.stop();
          this.onProblem(error);
        }
      }
    });
    return this.sending;
  }

  private stop() {
    this.stopped = true;
    this.pending = [];
  }
}
