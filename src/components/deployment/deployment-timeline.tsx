'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject, type Role } from '@/server/auth/permissions';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { useTRPC } from '@/trpc/react';
import { DeployDialog } from './deploy-dialog';
import { DeploymentLogs } from './deployment-logs';
import { DeploymentRow } from './deployment-row';
import { canRollBackTo, isInProgress } from './format';

const LIMIT = 50;

/**
 * The project's deployments, newest first, refreshed every 3 s, with roll back and cancel for roles
 * that may, and the logs of one deployment (the newest unless the user picks another).
 */
export function DeploymentTimeline({
  project,
  role,
  initialDeployments,
}: {
  project: string;
  role: Role;
  initialDeployments: DeploymentView[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(
    trpc.deployment.list.queryOptions(
      { project, limit: LIMIT },
      { initialData: initialDeployments, refetchInterval: 3000 },
    ),
  );
  const deployments = query.data ?? initialDeployments;
  const [picked, setPicked] = useState<string | null>(null);
  const shown = deployments.find((deployment) => deployment.id === picked)?.id ?? deployments[0]?.id ?? null;

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() }),
    ]);
  const rollback = useMutation(
    trpc.deployment.rollback.mutationOptions({
      onSuccess: async (created) => {
        setPicked(created.id);
        await refresh();
      },
    }),
  );
  const cancel = useMutation(trpc.deployment.cancel.mutationOptions({ onSuccess: refresh }));
  const mayRollback = canOnProject(role, 'project:rollback');
  const mayCancel = canOnProject(role, 'project:deploy');

  if (deployments.length === 0) {
    return (
      <Card title="Deployments">
        <EmptyState title="Not deployed yet" command={`rise d c ${project}`}>
          Build and deploy from a directory with a Dockerfile (or your app&apos;s source):
        </EmptyState>
        <div className="flex flex-col items-center gap-2 px-4 pb-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
          <p>or deploy a pre-built image:</p>
          <code className="max-w-full overflow-x-auto rounded-md bg-zinc-100 px-3 py-1.5 font-mono text-sm dark:bg-zinc-800">
            rise d c {project} --image &lt;ref&gt;
          </code>
          {mayCancel && (
            <div className="mt-2">
              <DeployDialog project={project} primary />
            </div>
          )}
        </div>
      </Card>
    );
  }

  return (
    <>
      <Card title="Deployments">
        <ErrorAlert error={query.error} prefix="Could not refresh the deployments" className="mb-3" />
        <ErrorAlert error={cancel.error} className="mb-3" />
        <ol className="-mx-1 flex flex-col divide-y divide-zinc-100 dark:divide-zinc-800">
          {deployments.map((deployment) => (
            <DeploymentRow
              key={deployment.id}
              deployment={deployment}
              selected={deployment.id === shown}
              onSelect={() => setPicked(deployment.id)}
              onRollback={
                mayRollback && canRollBackTo(deployment)
                  ? () => rollback.mutateAsync({ project, deployment: deployment.id })
                  : undefined
              }
              onCancel={
                mayCancel && isInProgress(deployment.status)
                  ? () => cancel.mutate({ project, deployment: deployment.id })
                  : undefined
              }
              cancelling={cancel.isPending && cancel.variables?.deployment === deployment.id}
            />
          ))}
        </ol>
        {deployments.length >= LIMIT && (
          <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
            Showing the newest {LIMIT}. For older ones:{' '}
            <code className="font-mono">rise d ls {project} --limit 200</code>
          </p>
        )}
      </Card>
      {shown && <DeploymentLogs project={project} deployment={shown} />}
    </>
  );
}
