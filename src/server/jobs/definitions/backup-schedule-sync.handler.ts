import { syncBackupSchedules } from '@/server/domains/backups/schedule.service';
import { syncVolumeBackupSchedules } from '@/server/domains/volumes/volume-backup.service';

export async function handleBackupScheduleSync() {
  return { ...(await syncBackupSchedules()), volumes: await syncVolumeBackupSchedules() };
}
