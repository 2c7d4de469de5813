'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddScheduleForm } from '@/components/backups/add-schedule-form';
import { AddSection } from '@/components/backups/add-section';
import type { BackupTarget } from '@/components/backups/backup-target';
import { ScheduleList } from '@/components/backups/schedule-list';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';

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
        <AddSection title="Add a schedule">
          <AddScheduleForm
            destinations={(destinations.data ?? []).map((destination) => destination.name)}
            onAdd={(input) => add.mutateAsync({ project, database, ...input })}
          />
        </AddSection>
      )}
    </Card>
  );
}
