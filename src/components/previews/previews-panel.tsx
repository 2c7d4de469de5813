'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject } from '@/server/domains/access/permissions';
import type { DeploymentGroupView } from '@/server/domains/deployments/deployment.schema';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';
import { PreviewItem } from './preview-item';

/** While a stop is under way the group is re-read this often, until the worker has removed it. */
const STOPPING_REFRESH_MS = 2000;

/**
 * The Previews tab: the project's deployment groups other than default (`rise d c -g mr/26`), each at
 * its own URL until it expires; roles with project:deploy extend or stop them. Status changes arrive
 * with the project's change subscription (see ProjectHeader).
 */
export function PreviewsPanel({
  project,
  initialPreviews,
}: {
  project: Pick<ProjectDetail, 'name' | 'role'>;
  initialPreviews: DeploymentGroupView[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [stopping, setStopping] = useState<ReadonlySet<string>>(new Set());
  const query = useQuery(
    trpc.deployment.groups.queryOptions(
      { project: project.name },
      {
        initialData: initialPreviews,
        refetchInterval: (current) =>
          current.state.data?.some((preview) => stopping.has(preview.group)) ? STOPPING_REFRESH_MS : false,
      },
    ),
  );
  const previews = query.data ?? initialPreviews;
  const stop = useMutation(
    trpc.deployment.stopGroup.mutationOptions({
      onSuccess: async (_, { group }) => {
        setStopping((current) => new Set(current).add(group));
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() }),
        ]);
      },
    }),
  );
  const mayDeploy = canOnProject(project.role, 'project:deploy');

  return (
    <Card title="Previews" titleId="previews">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A preview is a deployment group of its own: a version of {project.name} at its own URL, beside the
          project&apos;s, until it expires. A merge request&apos;s pipeline typically deploys one per branch.
        </p>
        <ErrorAlert error={query.error} prefix="Could not refresh the previews" />
        {previews.length === 0 ? (
          <EmptyState title="No previews" command={`rise d c ${project.name} -g mr/26 --expire 7d`}>
            Deploy a preview from your terminal (or CI): it answers at its own URL and goes away after the
            expiry.
          </EmptyState>
        ) : (
          <ul aria-label="Previews" className="-my-3 divide-y divide-zinc-100 dark:divide-zinc-800">
            {previews.map((preview) => (
              <PreviewItem
                key={preview.group}
                project={project.name}
                preview={preview}
                stopping={stopping.has(preview.group)}
                onStop={
                  mayDeploy
                    ? () => stop.mutateAsync({ project: project.name, group: preview.group })
                    : undefined
                }
              />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
