import { syncBackupSchedules } from '@/server/domains/backups/schedule.service';
import { syncCronSchedules } from '@/server/domains/cron/cron.service';
import { syncVolumeBackupSchedules } from '@/server/domains/volumes/volume-backup.service';

export async function handleBackupScheduleSync() {
  return {
    ...(await syncBackupSchedules()),
    volumes: await syncVolumeBackupSchedules(),
    cron: await syncCronSchedules(),
  };
}
