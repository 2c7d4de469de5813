import { runBackup, startScheduledBackup } from '@/server/domains/backups/run-backup';
import { backupDeps } from '../backup-deps';
import { withDatabaseLock } from '../project-lock';

export async function handleBackup(
  payload: { backupId: string } | { scheduleId: string },
  signal: AbortSignal,
) {
  const backup =
    'backupId' in payload ? { id: payload.backupId } : await startScheduledBackup(payload.scheduleId);
  if (!backup) return { skipped: 'schedule gone or disabled' };
  const lockKey = 'databaseId' in backup && backup.databaseId ? backup.databaseId : 'platform';
  return withDatabaseLock(lockKey, () => runBackup(backupDeps(), backup.id, signal));
}
