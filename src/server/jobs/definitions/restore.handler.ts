import { restoreLockKey, runRestore } from '@/server/domains/backups/run-restore';
import { backupDeps } from '../backup-deps';
import { withDatabaseLock } from '../project-lock';

export async function handleRestore(payload: { restoreId: string }, signal: AbortSignal) {
  return withDatabaseLock(await restoreLockKey(payload.restoreId), () =>
    runRestore(backupDeps(), payload.restoreId, signal),
  );
}
