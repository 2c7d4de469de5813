'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BackupTarget } from '@/components/backups/backup-target';
import { SchedulesSection } from '@/components/backups/schedules-section';
import { Card } from '@/components/ui/card';
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

  return (
    <Card title="Schedules" titleId="schedules-title">
      <SchedulesSection
        query={query}
        empty="No schedule: this database is backed up only on demand."
        canEdit={canEdit}
        destinations={(destinations.data ?? []).map((destination) => destination.name)}
        onRemove={(schedule) => remove.mutateAsync({ project, database, schedule })}
        onAdd={(input) => add.mutateAsync({ project, database, ...input })}
      />
    </Card>
  );
}
