'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';
import { AddScheduleForm } from '../_backups/add-schedule-form';
import type { BackupTarget } from '../_backups/backup-target';
import { ScheduleList } from '../_backups/schedule-list';

/** The database's backup schedules; admins add and remove them. */
export function SchedulesCard({
  target,
  canEdit,
}: {
  target: Extract<BackupTarget, { kind: 'database' }>;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { project, database } = target;
  const listOptions = trpc.backup.schedules.queryOptions({ project, database });
  const query = useQuery(listOptions);
  const destinations = useQuery({ ...trpc.backup.destinations.queryOptions({ project }), enabled: canEdit });
  const refresh = () => queryClient.invalidateQueries({ queryKey: listOptions.queryKey });
  const add = useMutation(trpc.backup.addSchedule.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.backup.removeSchedule.mutationOptions({ onSuccess: refresh }));
  const schedules = query.data ?? [];

  return (
    <Card title="Schedules" titleId="schedules-title">
      <ErrorAlert error={query.error} className="mb-3" />
      {schedules.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {query.isPending ? 'Loading…' : 'No schedule: this database is backed up only on demand.'}
        </p>
      ) : (
        <ScheduleList
          schedules={schedules}
          canEdit={canEdit}
          onRemove={(schedule) => remove.mutateAsync({ project, database, schedule })}
        />
      )}
      {canEdit && (
        <div className="mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800">
          <h3 className="mb-3 text-sm font-semibold">Add a schedule</h3>
          <AddScheduleForm
            destinations={(destinations.data ?? []).map((destination) => destination.name)}
            onAdd={(input) => add.mutateAsync({ project, database, ...input })}
          />
        </div>
      )}
    </Card>
  );
}
