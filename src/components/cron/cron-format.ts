import { formatDuration } from '@/components/deployment/format';
import type { CronJobView, CronRunView } from '@/shared/cron/cron-job.schema';

/** A run still on its way: lists refetch while one is shown. */
export const isRunning = (run: Pick<CronRunView, 'status'> | null | undefined) => run?.status === 'running';

/** "12s" from start to finish; while it runs, so far (against `now`); null for a skipped run. */
export function runDuration(run: CronRunView, now = Date.now()): string | null {
  if (run.status === 'skipped') return null;
  const end = run.finishedAt?.getTime() ?? now;
  return formatDuration(end - run.startedAt.getTime());
}

/** "exit 0", "exit 3", or why there is no exit code (a timeout, a skipped run). */
export function runOutcome(run: CronRunView): string | null {
  if (run.exitCode !== null) return `exit ${run.exitCode}`;
  return run.reason;
}

/**
 * Where a "Run now" stands, from the job's last run when it was clicked (`before`, its id) and its last
 * run now: queued until a new run shows, running while that one runs, then done.
 */
export function runNowProgress(
  before: string | null,
  job: Pick<CronJobView, 'lastRun'>,
): 'queued' | 'running' | 'done' {
  const last = job.lastRun;
  if (!last || last.id === before) return 'queued';
  return isRunning(last) ? 'running' : 'done';
}
