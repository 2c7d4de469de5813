'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { JobStatusBadge } from '@/components/backups/job-status-badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Spinner } from '@/components/ui/spinner';
import { StatusBadge } from '@/components/ui/status-badge';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import { TimeAgo } from '@/components/ui/time-ago';
import { canOnProject, PROJECT_ACTIONS, type Role } from '@/server/domains/access/permissions';
import type { ProjectProcessesView } from '@/server/domains/processes/process.schema';
import { MAX_REPLICAS } from '@/shared/processes/process.schema';
import { useTRPC } from '@/trpc/react';
import { draftOf, isSettled, runningSummary, type ScaleDraft, scaleChanges } from './scale-draft';

type Process = ProjectProcessesView['processes'][number];

/** `project.scale` needs this action (as `rise scale`: whoever deploys the project). */
const SCALE_ACTION = 'project:deploy';
const SCALING_POLL_MS = 2000;
const IDLE_POLL_MS = 15_000;
/** How long the panel follows a scale that does not settle (a crash-looping process) before it stops saying so. */
const SCALING_WAIT_MS = 3 * 60_000;

/** The last Apply: its changes, whether the project runs (they are being applied), and whether the panel still follows them. */
type Scaling = {
  changes: { name: string; from: number; to: number }[];
  applying: boolean;
  following: boolean;
  at: number;
};

const describeChanges = (changes: Scaling['changes']) =>
  changes.map((change) => `${change.name} ${change.from} → ${change.to}`).join(', ');

/**
 * The project's processes, web first: command, desired replicas, limits and the running version's
 * instances (replica, state, since when); developers scale them here without a redeploy.
 */
export function ProcessesPanel({ project, role }: { project: string; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canScale = canOnProject(role, SCALE_ACTION);
  const [scaling, setScaling] = useState<Scaling | null>(null);
  const following = scaling?.following === true;
  const query = useQuery(
    trpc.project.processes.queryOptions(
      { project },
      { refetchInterval: following ? SCALING_POLL_MS : IDLE_POLL_MS },
    ),
  );
  const processes = query.data?.processes ?? [];
  const [draft, setDraft] = useState<ScaleDraft | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const shown = draft ?? draftOf(processes);
  const { counts, errors } = scaleChanges(processes, shown);
  const scale = useMutation(
    trpc.project.scale.mutationOptions({
      onSuccess: (result) => {
        setScaling({
          changes: result.processes,
          applying: result.applying,
          following: result.applying,
          at: Date.now(),
        });
        setDraft(null);
        setSubmitted(false);
        void queryClient.invalidateQueries({ queryKey: trpc.project.processes.queryKey({ project }) });
        void queryClient.invalidateQueries({ queryKey: trpc.project.get.queryKey({ project }) });
      },
    }),
  );
  const settled = processes.length > 0 && processes.every(isSettled);
  const givenUp = following && !settled && Date.now() - (scaling?.at ?? 0) > SCALING_WAIT_MS;

  // Following a scale ends when every process runs its count (or after SCALING_WAIT_MS).
  useEffect(() => {
    if (!scaling?.following || !(settled || givenUp)) return;
    setScaling({ ...scaling, following: false });
  }, [scaling, settled, givenUp]);

  const nothingToApply = submitted && Object.keys(errors).length === 0 && Object.keys(counts).length === 0;
  let status: ReactNode = null;
  if (nothingToApply) status = 'No change to apply: type another number of replicas.';
  else if (scaling?.following)
    status = (
      <>
        <Spinner /> Scaling {describeChanges(scaling.changes)}…
      </>
    );
  else if (scaling?.applying)
    status = settled
      ? `Scaled ${describeChanges(scaling.changes)}.`
      : `Still scaling ${describeChanges(scaling.changes)}: see rise ps ${project}.`;
  else if (scaling)
    status = `Saved ${describeChanges(scaling.changes)}: the project is not running; its next deployment runs these counts.`;

  function apply(event: FormEvent) {
    event.preventDefault();
    scale.reset();
    setSubmitted(true);
    if (Object.keys(errors).length > 0 || Object.keys(counts).length === 0) return;
    setScaling(null);
    scale.mutate({ project, counts });
  }

  return (
    <Card title="Processes" titleId="processes">
      <ErrorAlert error={query.error} className="mb-3" />
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        <span className="font-mono">web</span> gets the project&apos;s traffic, spread over its replicas;
        other processes (from <span className="font-mono">[processes]</span> in{' '}
        <span className="font-mono">.rise.toml</span> or a Procfile) run beside it without a route. Scaling
        applies to the running version without a redeploy.
      </p>
      {query.isPending ? (
        <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <Spinner /> Loading processes…
        </p>
      ) : processes.length === 0 ? (
        <EmptyState title="No processes" command={`rise ps ${project}`} />
      ) : (
        <form onSubmit={apply} aria-label="Scale processes" noValidate className="flex flex-col gap-3">
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {processes.map((process) => (
              <ProcessRow
                key={process.name}
                process={process}
                count={
                  canScale
                    ? {
                        value: shown[process.name] ?? String(process.replicas),
                        error: errors[process.name],
                        onChange: (typed) => setDraft({ ...shown, [process.name]: typed }),
                      }
                    : null
                }
              />
            ))}
          </ul>
          {canScale ? (
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton pending={scale.isPending} pendingLabel="Applying…">
                Apply
              </SubmitButton>
              <p role="status" className="flex items-center gap-2 text-sm empty:hidden">
                {status}
              </p>
            </div>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Scaling needs the {PROJECT_ACTIONS[SCALE_ACTION]} role on this project.
            </p>
          )}
          <ErrorAlert error={scale.error} prefix="Could not scale" />
        </form>
      )}
    </Card>
  );
}

function ProcessRow({
  process,
  count,
}: {
  process: Process;
  count: { value: string; error: string | undefined; onChange: (typed: string) => void } | null;
}) {
  return (
    <li data-testid={`process-${process.name}`} className="flex flex-col gap-2 py-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex min-w-0 flex-col gap-1">
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono font-medium">{process.name}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              {process.replicas} {process.replicas === 1 ? 'replica' : 'replicas'} · {runningSummary(process)}
            </span>
            {!isSettled(process) && <Spinner />}
          </span>
          <code className="font-mono text-xs break-all text-zinc-700 dark:text-zinc-300">
            {process.command ?? "the image's command"}
          </code>
          {(process.cpuLimit !== null || process.memoryLimitMb !== null) && (
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              {[
                process.cpuLimit !== null && `${process.cpuLimit} CPU`,
                process.memoryLimitMb !== null && `${process.memoryLimitMb} MB`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
          )}
        </div>
        {count && (
          <div className="w-full shrink-0 sm:w-40">
            <TextField
              label={`Replicas of ${process.name}`}
              error={count.error}
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_REPLICAS}
              value={count.value}
              onChange={count.onChange}
            />
          </div>
        )}
      </div>
      {process.instances.length === 0 ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">No instances running.</p>
      ) : (
        <ul aria-label={`Instances of ${process.name}`} className="flex flex-col gap-1 text-xs">
          {process.instances.map((instance) => (
            <li
              key={instance.replica}
              data-testid={`instance-${process.name}-${instance.replica}`}
              className="flex flex-wrap items-center gap-x-3 gap-y-1"
            >
              <span className="font-mono">replica {instance.replica}</span>
              {instance.state === 'running' ? (
                <StatusBadge status="running" />
              ) : (
                <JobStatusBadge status={instance.state} />
              )}
              {instance.startedAt && (
                <span className="text-zinc-600 dark:text-zinc-400">
                  started <TimeAgo date={new Date(instance.startedAt)} />
                </span>
              )}
              {instance.exitCode !== null && <span className="font-mono">exit {instance.exitCode}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
