'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DeployCommitDialog } from '@/components/git-source/deploy-commit-dialog';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject, type Role } from '@/server/domains/access/permissions';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { useTRPC } from '@/trpc/react';
import { DeployDialog } from './deploy-dialog';
import { DeploymentLogs } from './deployment-logs';
import { DeploymentRow } from './deployment-row';
import { canRollBackTo, isInProgress } from './format';

const LIMIT = 50;

/**
 * The project's deployments in every group (previews too, each marked with its group), newest first,
 * 50 at a time with "Load older", with roll back and cancel for roles that may, and the logs of one
 * deployment (the newest unless the user picks another).
 * Nothing is polled: the project header's change subscription reloads them when a status changes.
 */
export function DeploymentTimeline({
  project,
  role,
  initialDeployments,
  initialPicked = null,
  gitSource = null,
}: {
  project: string;
  role: Role;
  initialDeployments: DeploymentView[];
  /** The deployment whose logs show first (`?deployment=` in the URL); default the newest. */
  initialPicked?: string | null;
  /** The project's git source (its tracked branch), if any: then "Deploy from git" is offered. */
  gitSource?: { branch: string } | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(
    trpc.deployment.list.infiniteQueryOptions(
      { project, limit: LIMIT, allGroups: true },
      {
        getNextPageParam: (page) => (page.length === LIMIT ? page.at(-1)?.id : undefined),
        initialData: { pages: [initialDeployments], pageParams: [null] },
      },
    ),
  );
  const deployments = query.data?.pages.flat() ?? initialDeployments;
  const [picked, setPicked] = useState<string | null>(initialPicked);
  const shown = deployments.find((deployment) => deployment.id === picked) ?? deployments[0] ?? null;

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
  const fromGit = mayCancel && gitSource !== null && (
    <DeployCommitDialog
      project={project}
      branch={gitSource.branch}
      onDeployed={(created) => setPicked(created.id)}
    />
  );

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
            <div className="mt-2 flex flex-wrap justify-center gap-2">
              <DeployDialog project={project} primary />
              {fromGit}
            </div>
          )}
        </div>
      </Card>
    );
  }

  return (
    <>
      <Card title="Deployments" actions={fromGit || undefined}>
        <ErrorAlert error={query.error} prefix="Could not refresh the deployments" className="mb-3" />
        <ErrorAlert error={cancel.error} className="mb-3" />
        <ol className="-mx-1 flex flex-col divide-y divide-zinc-100 dark:divide-zinc-800">
          {deployments.map((deployment) => (
            <DeploymentRow
              key={deployment.id}
              deployment={deployment}
              selected={deployment.id === shown?.id}
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
        {query.hasNextPage && (
          <div className="mt-3 flex justify-center">
            <Button small onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? 'Loading…' : 'Load older'}
            </Button>
          </div>
        )}
      </Card>
      {shown && <DeploymentLogs project={project} deployment={shown} />}
    </>
  );
}
