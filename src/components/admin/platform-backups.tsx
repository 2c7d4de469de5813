'use client';

import { useQuery } from '@tanstack/react-query';
import { RecentFailures } from '@/components/backups/recent-failures';
import { useTRPC } from '@/trpc/react';
import { PlatformBackupDestinations } from './platform-backup-destinations';
import { PlatformBackupHistory } from './platform-backup-history';
import { PlatformBackupSchedules } from './platform-backup-schedules';

/** The admin page's backup section: failures first, then history and drills, schedules, destinations. */
export function PlatformBackups() {
  const trpc = useTRPC();
  const notifications = useQuery(
    trpc.platformBackup.notifications.queryOptions(undefined, { refetchInterval: 30_000 }),
  );
  return (
    <>
      <RecentFailures notifications={notifications.data ?? []} />
      <PlatformBackupHistory />
      <PlatformBackupSchedules />
      <PlatformBackupDestinations />
    </>
  );
}
