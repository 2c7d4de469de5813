'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SchedulesSection } from '@/components/backups/schedules-section';
import { Card } from '@/components/ui/card';
import { useTRPC } from '@/trpc/react';

/** Backup schedules of Rise's own database (besides the built-in RISE_PLATFORM_BACKUP_CRON one). */
export function PlatformBackupSchedules() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.platformBackup.schedules.queryOptions());
  const destinations = useQuery(trpc.platformBackup.destinations.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.platformBackup.schedules.queryKey() });
  const add = useMutation(trpc.platformBackup.addSchedule.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.platformBackup.removeSchedule.mutationOptions({ onSuccess: refresh }));

  return (
    <Card title="Platform backup schedules" titleId="platform-backup-schedules">
      <SchedulesSection
        query={query}
        empty="No schedules added here."
        canEdit
        destinations={(destinations.data ?? []).map((destination) => destination.name)}
        defaultEncrypt
        onRemove={(schedule) => remove.mutateAsync({ schedule })}
        onAdd={(input) => add.mutateAsync(input)}
      />
    </Card>
  );
}
