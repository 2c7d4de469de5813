'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DeployDialog } from '@/components/deployment/deploy-dialog';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';

/** What the deployments say about the project: whether any version ever ran, and whether one is active. */
export type DeployedState = { everRan: boolean; hasActive: boolean };

/**
 * Deploy, Redeploy, Restart, Stop and Start, each only for roles that may and only where it can
 * succeed: a project that never ran offers Deploy (not a Start that would fail); a stopped one Start.
 * `deployed` is null until the deployments are known.
 */
export function ProjectActions({
  project,
  deployed,
}: {
  project: Pick<ProjectDetail, 'name' | 'role' | 'desiredState'>;
  deployed: DeployedState | null;
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
  const redeploy = useMutation(trpc.deployment.redeploy.mutationOptions({ onSuccess: refresh }));
  const restart = useMutation(trpc.deployment.restart.mutationOptions({ onSuccess: refresh }));

  const mayDeploy = canOnProject(project.role, 'project:deploy');
  const mayStop = canOnProject(project.role, 'project:stop');
  const running = project.desiredState === 'running';
  const live = running && deployed?.hasActive === true;

  return (
    <>
      {mayDeploy && <DeployDialog project={project.name} primary={deployed?.everRan === false} />}
      {mayDeploy && live && (
        <ConfirmButton
          label="Redeploy"
          title="Redeploy project"
          confirmLabel="Redeploy"
          description={
            <>
              <strong>{project.name}</strong> runs its current image again as a new deployment, with the
              environment variables and settings it has now. The running version keeps serving until the new
              one is healthy.
            </>
          }
          onConfirm={() => redeploy.mutateAsync({ project: project.name })}
        />
      )}
      {mayDeploy && live && (
        <ConfirmButton
          label="Restart"
          title="Restart project"
          confirmLabel="Restart"
          description={
            <>
              <strong>{project.name}</strong> gets fresh instances of the same image, started beside the
              running ones, which keep serving until the new ones are healthy.
            </>
          }
          onConfirm={() => restart.mutateAsync({ project: project.name })}
        />
      )}
      {mayStop && running && (
        <ConfirmButton
          label="Stop"
          title="Stop project"
          confirmLabel="Stop"
          variant="danger"
          description={
            <>
              <strong>{project.name}</strong> stops serving traffic until it is started again. Its deployments
              and settings are kept.
            </>
          }
          onConfirm={() => stop.mutateAsync({ project: project.name })}
        />
      )}
      {mayStop && !running && deployed?.everRan && (
        <ConfirmButton
          label="Start"
          title="Start project"
          confirmLabel="Start"
          variant="primary"
          description={
            <>
              <strong>{project.name}</strong> starts again with the last version that ran, as a new
              deployment.
            </>
          }
          onConfirm={() => start.mutateAsync({ project: project.name })}
        />
      )}
    </>
  );
}
