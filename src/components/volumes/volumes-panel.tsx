'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useProject } from '@/components/project-settings/use-project';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { RemoveButton } from '@/components/ui/remove-button';
import { Spinner } from '@/components/ui/spinner';
import { TimeAgo } from '@/components/ui/time-ago';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { VolumeView } from '@/shared/volumes/volume.schema';
import { useTRPC } from '@/trpc/react';
import { AddVolumeForm } from './add-volume-form';
import { VolumeBackups } from './volume-backups';

/**
 * The Volumes tab: the project's named volumes; `project:update` adds and deletes them, `project:backup`
 * backs one up now.
 */
export function VolumesPanel({
  project: initialProject,
  initialVolumes,
}: {
  project: ProjectDetail;
  initialVolumes: VolumeView[];
}) {
  const project = useProject(initialProject);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.volume.list.queryOptions(
    { project: project.name },
    { initialData: initialVolumes },
  );
  const query = useQuery(listOptions);
  const volumes = query.data ?? initialVolumes;
  const canEdit = canOnProject(project.role, 'project:update');
  const canBackup = canOnProject(project.role, 'project:backup');
  const canRestore = canOnProject(project.role, 'project:restore');
  const remove = useMutation(trpc.volume.delete.mutationOptions());
  const backUp = useMutation(
    trpc.volume.backup.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.volume.backups.queryKey({ project: project.name }) }),
    }),
  );
  const update = (next: VolumeView[]) => queryClient.setQueryData(listOptions.queryKey, next);

  return (
    <>
      <Card title="Volumes" titleId="volumes">
        <ErrorAlert error={query.error} className="mb-3" />
        <ErrorAlert error={backUp.error} prefix="Could not start the backup" className="mb-3" />
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Files the app writes under a volume&apos;s mount path are kept across deploys, restarts and
          rollbacks. A new volume is mounted from the next deployment on. Preview deployments run without
          them.
        </p>
        {volumes.length === 0 ? (
          <EmptyState title="No volumes" command={`rise volume create data --mount /data -p ${project.name}`}>
            {canEdit
              ? 'Keep files across deploys: add a volume below or from your terminal.'
              : 'Admins of this project can add one, from the dashboard or the terminal:'}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {volumes.map((volume) => (
              <li
                key={volume.name}
                data-testid={`volume-${volume.name}`}
                className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
              >
                <div className="flex min-w-0 flex-col gap-1">
                  <span className="font-mono font-medium">{volume.name}</span>
                  <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
                    <span>
                      Mounted at <span className="font-mono">{volume.mountPath}</span>
                    </span>
                    <span>{volume.size}</span>
                    <span>
                      {volume.backupSchedule
                        ? `Backed up at ${volume.backupSchedule.cron} (UTC) to ${volume.backupSchedule.destination}${volume.backupSchedule.keep ? `, last ${volume.backupSchedule.keep} kept` : ''}`
                        : 'No scheduled backups'}
                    </span>
                    <span>
                      Created <TimeAgo date={volume.createdAt} />
                      {volume.createdBy && ` by ${volume.createdBy}`}
                    </span>
                  </p>
                </div>
                <div className="flex shrink-0 flex-wrap items-center gap-2">
                  {canBackup && (
                    <Button
                      small
                      disabled={backUp.isPending && backUp.variables?.name === volume.name}
                      onClick={() => backUp.mutate({ project: project.name, name: volume.name })}
                    >
                      {backUp.isPending && backUp.variables?.name === volume.name ? (
                        <>
                          <Spinner /> Starting…
                        </>
                      ) : (
                        'Back up now'
                      )}
                      <span className="sr-only"> {volume.name}</span>
                    </Button>
                  )}
                  {canEdit && (
                    <RemoveButton
                      item={volume.name}
                      action="Delete"
                      title="Delete volume"
                      description={
                        <>
                          The volume <span className="font-mono">{volume.name}</span> and every file in it are
                          deleted. Stop the project first: a volume mounted by a running deployment cannot be
                          deleted.
                        </>
                      }
                      onConfirm={async () =>
                        update(await remove.mutateAsync({ project: project.name, name: volume.name }))
                      }
                    />
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {volumes.length > 0 && (
        <VolumeBackups project={project.name} canBackup={canBackup} canRestore={canRestore} />
      )}
      {canEdit && (
        <Card title="Add a volume" titleId="add-volume">
          <AddVolumeForm project={project.name} onAdded={update} />
        </Card>
      )}
    </>
  );
}
