const tones: Record<string, string> = {
  running: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  healthy: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  deploying: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200',
  pending: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200',
  building: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200',
  pushing: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200',
  pushed: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200',
  cancelling: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  stopping: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  terminating: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200',
  unhealthy: 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200',
};
const neutral = 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200';

/** A project or deployment status as a coloured pill; unknown statuses are neutral. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tones[status] ?? neutral}`}
    >
      {status}
    </span>
  );
}
