import { requireEnv } from '@/env';
import { createDatabaseHost } from '@/server/databases';
import { backupArchiveKey } from '@/server/domains/backups/backup-keys';
import { openStore } from '@/server/domains/backups/destination.service';
import type { BackupDeps } from '@/server/domains/backups/run-backup';

/** Backups and restores wired to Docker, the configured destinations and Rise's own database. */
export const backupDeps = (): BackupDeps => ({
  host: createDatabaseHost(),
  openStore,
  archiveKey: backupArchiveKey,
  platformDatabaseUrl: () => requireEnv('DATABASE_URL'),
});
