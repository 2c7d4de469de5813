const working = 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200';
const good = 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200';
const bad = 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200';

const tones: Record<string, string> = {
  pending: working,
  running: working,
  provisioning: working,
  restoring: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  succeeded: good,
  passed: good,
  failed: bad,
};
const neutral = 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200';

/**
 * The status of a backup, restore or database as a coloured pill, like StatusBadge; `running` is blue
 * here (a job at work) unless `settled` says it is a database that is up.
 */
export function JobStatusBadge({
  status,
  settled = false,
  testId,
}: {
  status: string;
  settled?: boolean;
  testId?: string;
}) {
  const tone = settled && status === 'running' ? good : (tones[status] ?? neutral);
  return (
    <span
      data-testid={testId}
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tone}`}
    >
      {status}
    </span>
  );
}
