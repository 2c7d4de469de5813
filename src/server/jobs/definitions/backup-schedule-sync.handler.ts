import { syncBackupSchedules } from '@/server/domains/backups/schedule.service';

export async function handleBackupScheduleSync() {
  return syncBackupSchedules();
}
