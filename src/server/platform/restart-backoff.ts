/** How long a supervisor waits before restarting a child that died. */
export type BackoffPolicy = {
  /** The wait after the first death. */
  initialMs: number;
  /** The longest wait; each death in a row doubles the previous one up to this. */
  maxMs: number;
  /** A child that stayed up at least this long counts as healthy again: the next wait starts over. */
  resetAfterMs: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 15_000, resetAfterMs: 60_000 };

/** Exponential backoff between restarts: 0.5 s, 1 s, 2 s … up to 15 s, reset after a minute up. */
export class RestartBackoff {
  private deathsInARow = 0;

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** The wait before the next restart of a child that ran for `uptimeMs` before it died. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.policy.resetAfterMs) this.deathsInARow = 0;
    const delay = Math.min(this.policy.initialMs * 2 ** this.deathsInARow, this.policy.maxMs);
    this.deathsInARow++;
    return delay;
  }
}
