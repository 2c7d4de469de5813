'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { JobStatusBadge } from '@/components/backups/job-status-badge';
import { useProject } from '@/components/project-settings/use-project';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Spinner } from '@/components/ui/spinner';
import { TimeAgo } from '@/components/ui/time-ago';
import { canOnProject, PROJECT_ACTIONS } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { CronJobView } from '@/shared/cron/cron-job.schema';
import { useTRPC } from '@/trpc/react';
import { isRunning, runNowProgress } from './cron-format';
import { CronRuns } from './cron-runs';

const POLL_MS = 2000;
/** `cron.run` needs this action (as `cron.set`: whoever deploys the project). */
const RUN_ACTION = 'project:deploy';

/** The Cron jobs tab: the project's `[[cron]]` jobs, their runs and output, and "Run now". */
export function CronPanel({
  project: initialProject,
  initialJobs,
}: {
  project: ProjectDetail;
  initialJobs: CronJobView[];
}) {
  const project = useProject(initialProject);
  const trpc = useTRPC();
  const canRun = canOnProject(project.role, RUN_ACTION);
  // Per job asked to run now: the id of its last run when asked, until a newer run has ended.
  const [asked, setAsked] = useState<Record<string, string | null>>({});
  const query = useQuery(
    trpc.cron.list.queryOptions(
      { project: project.name },
      {
        initialData: initialJobs,
        refetchInterval: (q) =>
          Object.keys(asked).length > 0 || q.state.data?.some((job) => isRunning(job.lastRun))
            ? POLL_MS
            : false,
      },
    ),
  );
  const jobs = query.data ?? initialJobs;
  const run = useMutation(trpc.cron.run.mutationOptions());

  // A job asked to run is followed until its new run has ended.
  useEffect(() => {
    const done = jobs.filter(
      (job) => job.name in asked && runNowProgress(asked[job.name] ?? null, job) === 'done',
    );
    if (done.length === 0) return;
    setAsked((current) =>
      Object.fromEntries(Object.entries(current).filter(([name]) => !done.some((job) => job.name === name))),
    );
  }, [jobs, asked]);

  async function runNow(job: CronJobView) {
    await run.mutateAsync({ project: project.name, name: job.name });
    setAsked((current) => ({ ...current, [job.name]: job.lastRun?.id ?? null }));
  }

  return (
    <Card title="Cron jobs" titleId="cron-jobs">
      <ErrorAlert error={query.error} className="mb-3" />
      <ErrorAlert error={run.error} prefix="Could not start the job" className="mb-3" />
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Each run is a one-off container of the running deployment (its image, environment and limits).
        Schedules are UTC; they come from <span className="font-mono">[[cron]]</span> in{' '}
        <span className="font-mono">.rise.toml</span>, set by <span className="font-mono">rise d c</span>.
      </p>
      {jobs.length === 0 ? (
        <EmptyState title="No cron jobs" command={`rise cron ls ${project.name}`}>
          Add a <span className="font-mono">[[cron]]</span> with <span className="font-mono">name</span>,{' '}
          <span className="font-mono">schedule</span> and <span className="font-mono">command</span> to{' '}
          <span className="font-mono">.rise.toml</span> and deploy.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {jobs.map((job) => (
            <CronJobRow
              key={job.name}
              project={project.name}
              job={job}
              progress={job.name in asked ? runNowProgress(asked[job.name] ?? null, job) : null}
              runNow={canRun ? () => runNow(job) : null}
              starting={run.isPending && run.variables?.name === job.name}
            />
          ))}
        </ul>
      )}
      {!canRun && jobs.length > 0 && (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          Running a job now needs the {PROJECT_ACTIONS[RUN_ACTION]} role on this project.
        </p>
      )}
    </Card>
  );
}

function CronJobRow({
  project,
  job,
  progress,
  runNow,
  starting,
}: {
  project: string;
  job: CronJobView;
  progress: 'queued' | 'running' | 'done' | null;
  runNow: (() => Promise<void>) | null;
  starting: boolean;
}) {
  const [open, setOpen] = useState(false);
  const busy = starting || progress === 'queued' || progress === 'running';
  const last = job.lastRun;
  return (
    <li data-testid={`cron-job-${job.name}`} className="flex flex-col gap-2 py-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex min-w-0 flex-col gap-1">
          <span className="font-mono font-medium">{job.name}</span>
          <code className="font-mono text-xs break-all text-zinc-700 dark:text-zinc-300">{job.command}</code>
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
            <span>
              <span className="font-mono">{job.schedule}</span> (UTC)
            </span>
            <span>
              Next run <TimeAgo date={job.nextRunAt} />
            </span>
          </p>
          <p className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            {last ? (
              <>
                Last run <JobStatusBadge status={last.status} testId={`cron-last-${job.name}`} />
                <TimeAgo date={last.startedAt} />
              </>
            ) : (
              'Never run'
            )}
          </p>
        </div>
        {runNow && (
          <div className="flex shrink-0 items-center gap-2">
            <span role="status" className="flex items-center gap-1.5 text-xs empty:hidden">
              {starting ? (
                <>
                  <Spinner /> Starting…
                </>
              ) : progress === 'queued' ? (
                <>
                  <Spinner /> Queued…
                </>
              ) : progress === 'running' ? (
                <>
                  <Spinner /> Running…
                </>
              ) : null}
            </span>
            <Button small disabled={busy} onClick={() => void runNow().catch(() => {})}>
              Run now<span className="sr-only"> {job.name}</span>
            </Button>
          </div>
        )}
      </div>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className="cursor-pointer text-sm text-indigo-700 dark:text-indigo-300">Recent runs</summary>
        <div className="mt-2">
          {open && <CronRuns project={project} job={job.name} lastRunId={last?.id} />}
        </div>
      </details>
    </li>
  );
}
