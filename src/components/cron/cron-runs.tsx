'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { JobStatusBadge } from '@/components/backups/job-status-badge';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Spinner } from '@/components/ui/spinner';
import { TimeAgo } from '@/components/ui/time-ago';
import { useTRPC } from '@/trpc/react';
import { isRunning, runDuration, runOutcome } from './cron-format';

const POLL_MS = 2000;

/** A cron job's latest runs, newest first, each with its kept output (the end of it) to expand. */
export function CronRuns({ project, job, lastRunId }: { project: string; job: string; lastRunId?: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.cron.runs.queryOptions(
      { project, name: job, limit: 20 },
      { refetchInterval: (q) => (q.state.data?.some((run) => isRunning(run)) ? POLL_MS : false) },
    ),
  );
  const runs = query.data ?? [];
  const newest = runs[0]?.id;
  const { refetch } = query;
  // The job's last run changed (a Run now, the schedule, its end): this list follows at once.
  useEffect(() => {
    if (lastRunId !== undefined && lastRunId !== newest) void refetch();
  }, [lastRunId, newest, refetch]);

  if (query.isPending) {
    return (
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Spinner /> Loading runs…
      </p>
    );
  }
  return (
    <>
      <ErrorAlert error={query.error} />
      {runs.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No runs yet.</p>
      ) : (
        <ol aria-label={`Runs of ${job}`} className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {runs.map((run) => {
            const outcome = runOutcome(run);
            const duration = runDuration(run);
            return (
              <li key={run.id} data-testid={`cron-run-${run.id}`} className="flex flex-col gap-1 py-2">
                <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <JobStatusBadge status={run.status} />
                  {isRunning(run) && <Spinner />}
                  <TimeAgo date={run.startedAt} />
                  {outcome && <span className="font-mono text-xs">{outcome}</span>}
                  {duration && (
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">took {duration}</span>
                  )}
                </span>
                {run.output.length > 0 ? (
                  <details>
                    <summary className="cursor-pointer text-xs text-indigo-700 dark:text-indigo-300">
                      Output ({run.output.length} {run.output.length === 1 ? 'line' : 'lines'})
                    </summary>
                    <pre className="mt-1 max-h-80 overflow-auto rounded-md bg-zinc-950 p-2 font-mono text-xs whitespace-pre-wrap break-all text-zinc-100">
                      {run.output.join('\n')}
                    </pre>
                  </details>
                ) : (
                  run.status !== 'running' &&
                  run.status !== 'skipped' && (
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">No output.</span>
                  )
                )}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
