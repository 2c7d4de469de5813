'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { canOnProject } from '@/server/auth/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';

/** Stop a running project or start a stopped one; not rendered for roles that may not. */
export function ProjectActions({
  project,
}: {
  project: Pick<ProjectDetail, 'name' | 'role' | 'desiredState'>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() }),
    ]);
  const stop = useMutation(trpc.deployment.stop.mutationOptions({ onSuccess: refresh }));
  const start = useMutation(trpc.deployment.start.mutationOptions({ onSuccess: refresh }));

  if (!canOnProject(project.role, 'project:stop')) return null;

  return project.desiredState === 'running' ? (
    <ConfirmButton
      label="Stop"
      title="Stop project"
      confirmLabel="Stop"
      variant="danger"
      description={
        <>
          <strong>{project.name}</strong> stops serving traffic until it is started again. Its deployments and
          settings are kept.
        </>
      }
      onConfirm={() => stop.mutateAsync({ project: project.name })}
    />
  ) : (
    <ConfirmButton
      label="Start"
      title="Start project"
      confirmLabel="Start"
      variant="primary"
      description={
        <>
          <strong>{project.name}</strong> starts again with the last version that ran, as a new deployment.
        </>
      }
      onConfirm={() => start.mutateAsync({ project: project.name })}
    />
  );
}
