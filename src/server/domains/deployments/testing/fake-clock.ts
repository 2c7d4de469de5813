import type { Clock } from '../engine-clock';

type Sleeper = { ms: number; until: number; wake: () => void };

/**
 * A Clock whose time moves only when a test says so: `sleep` waits until `advance` passes its end
 * (or its signal aborts), so a unit test runs the engine's pauses without waiting for them and can
 * look at what happened before a pause ends. A sleep of 0 ms resolves at once.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly sleepers = new Set<Sleeper>();
  private readonly watchers = new Set<{ ms: number; notify: () => void }>();

  constructor(start = new Date('2026-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        ms,
        until: this.current + ms,
        wake: () => {
          this.sleepers.delete(sleeper);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
      for (const watcher of [...this.watchers]) if (watcher.ms === ms) watcher.notify();
    });
  }

  /** Moves time forward by `ms`, waking (in order of their end) the sleeps that end by then. */
  advance(ms: number): void {
    this.current += ms;
    const due = [...this.sleepers]
      .filter((sleeper) => sleeper.until <= this.current)
      .sort((a, b) => a.until - b.until);
    for (const sleeper of due) sleeper.wake();
  }

  /** The lengths of the sleeps now waiting. */
  pending(): number[] {
    return [...this.sleepers].map((sleeper) => sleeper.ms);
  }

  /** Resolves once a sleep of `ms` is waiting (at once if one already is). */
  sleepingFor(ms: number): Promise<void> {
    if (this.pending().includes(ms)) return Promise.resolve();
    return new Promise((resolve) => {
      const watcher = {
        ms,
        notify: () => {
          this.watchers.delete(watcher);
          resolve();
        },
      };
      this.watchers.add(watcher);
    });
  }
}
