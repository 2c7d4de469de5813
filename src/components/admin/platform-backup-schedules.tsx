'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddScheduleForm } from '@/components/backups/add-schedule-form';
import { AddSection } from '@/components/backups/add-section';
import { ScheduleList } from '@/components/backups/schedule-list';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
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
  const schedules = query.data ?? [];

  return (
    <Card title="Platform backup schedules" titleId="platform-backup-schedules">
      <ErrorAlert error={query.error} className="mb-3" />
      {schedules.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {query.isPending ? 'Loading…' : 'No schedules added here.'}
        </p>
      ) : (
        <ScheduleList
          schedules={schedules}
          canEdit
          onRemove={(schedule) => remove.mutateAsync({ schedule })}
        />
      )}
      <AddSection title="Add a schedule">
        <AddScheduleForm
          destinations={(destinations.data ?? []).map((destination) => destination.name)}
          defaultEncrypt
          onAdd={(input) => add.mutateAsync(input)}
        />
      </AddSection>
    </Card>
  );
}
