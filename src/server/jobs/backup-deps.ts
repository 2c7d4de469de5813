import { env, requireEnv } from '@/env';
import { platformDatabase } from '@/server/backups/platform/platform-database';
import { createBackupStore } from '@/server/backups/storage/backup-destination.schema';
import { createDatabaseHost } from '@/server/databases';
import {
  backupRepo,
  releaseDatabaseConnections,
  restoreRepo,
  scheduleRepo,
} from '@/server/domains/backups/backup.repo';
import type { BackupDeps } from '@/server/domains/backups/backup-deps';
import { backupArchiveKey } from '@/server/domains/backups/backup-keys';
import { destinationStoreConfig } from '@/server/domains/backups/destination.service';
import { databaseRepo } from '@/server/domains/databases/database.repo';
import { provisionDatabase } from '@/server/domains/databases/provision-database';
import { raiseNotification } from '@/server/domains/notifications/notification.service';

/** Backups and restores wired to Docker, the configured destinations and Rise's own database. */
export const backupDeps = (): BackupDeps => {
  const host = createDatabaseHost();
  return {
    host,
    openStore: (destination) => createBackupStore(destinationStoreConfig(destination)),
    archiveKey: backupArchiveKey,
    platform: platformDatabase({
      url: () => requireEnv('DATABASE_URL'),
      pgDump: env.RISE_PG_DUMP,
      pgRestore: env.RISE_PG_RESTORE,
      beforeReplace: releaseDatabaseConnections,
    }),
    repos: { backups: backupRepo, restores: restoreRepo, schedules: scheduleRepo, databases: databaseRepo },
    provisionDatabase: (databaseId, signal) => provisionDatabase(host, databaseId, signal),
    notify: raiseNotification,
    now: () => new Date(),
  };
};
