import type { NotificationKind } from '@/shared/notifications/notification-kinds';
import type { EngineSettings } from './engine-deps';

/** Log lines kept with a crash (the deployment's lastCrashLog). */
export const CRASH_LOG_LINES = 20;

/**
 * How long after restart number `restarts` (1 = the first) the next one may come: `initialMs`, doubled
 * with each restart, capped at `maxMs`. The first restart after a crash comes at once.
 */
export function restartBackoffMs(restarts: number, backoff: EngineSettings['restartBackoff']): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, restarts - 1));
}

/**
 * Whether a running instance has run long enough for its crashes to be forgotten. A brief run between
 * crashes is not enough: the count (and so the backoff) would reset on every restart.
 */
export function ranStable(startedAt: Date | null, now: Date, stableAfterMs: number): boolean {
  return startedAt !== null && now.getTime() - startedAt.getTime() >= stableAfterMs;
}

export type CrashPlan = {
  /** The restart about to be made: 1 for the first since the app last ran stable. */
  restart: number;
  /** No restart before this (counted again from the restart once it is made). */
  nextRestartAt: Date;
  /** The backoff after this restart. */
  backoffMs: number;
  /** This restart makes the app crash-looping (it was not yet). */
  startsLoop: boolean;
  /** Crash-looping after this restart. */
  looping: boolean;
  /** What to tell people: the first crash, the restarts before the loop, the loop once. */
  notify: NotificationKind[];
};

/** What the reconciler does about a crash of an app restarted `restartCount` times since it ran stable. */
export function planCrashRestart(
  deployment: { restartCount: number; crashLoopSince: Date | null },
  now: Date,
  settings: Pick<EngineSettings, 'restartBackoff' | 'crashLoop'>,
): CrashPlan {
  const restart = deployment.restartCount + 1;
  const looping = deployment.crashLoopSince !== null || restart >= settings.crashLoop.restarts;
  const startsLoop = looping && deployment.crashLoopSince === null;
  const notify: NotificationKind[] = [];
  if (restart === 1) notify.push('app.crashed');
  if (startsLoop) notify.push('app.crash-looping');
  else if (!looping) notify.push('app.restarted');
  const backoffMs = restartBackoffMs(restart, settings.restartBackoff);
  return {
    restart,
    nextRestartAt: new Date(now.getTime() + backoffMs),
    backoffMs,
    startsLoop,
    looping,
    notify,
  };
}

/** The title of a notification about `project`'s crash (`exitCode` null: the instance was missing). */
export function crashTitle(
  kind: NotificationKind,
  project: string,
  crash: { exitCode: number | null; restart: number },
): string {
  const what = crash.exitCode === null ? 'is gone' : `exited with code ${crash.exitCode}`;
  if (kind === 'app.crash-looping') {
    return `${project} is crash-looping: restarted ${crash.restart} times without running stable (last: ${what})`;
  }
  if (kind === 'app.restarted') return `${project} was restarted after a crash (restart #${crash.restart})`;
  return `${project} crashed: its instance ${what}`;
}

/**
 * When the reconciler must run again for the earliest of the crash restarts `due`: null when none is
 * due before the next scheduled run (`scheduleMs` from `now`), which will see to it.
 */
export function restartWake(due: readonly (Date | null)[], now: Date, scheduleMs: number): Date | null {
  const soonest = Math.min(...due.map((at) => at?.getTime() ?? Number.POSITIVE_INFINITY));
  return soonest < now.getTime() + scheduleMs ? new Date(soonest) : null;
}
