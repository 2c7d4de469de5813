import { restorePlatformBackup } from '@/server/backups/platform/platform-backup';
import { rowCounts } from '@/server/backups/platform/platform-dump';
import { getDb } from '@/server/db';
import { backupRepo } from './backup.repo';
import type { BackupDeps } from './run-backup';
import { downloadVerified } from './verified-download';

/**
 * Replaces Rise's own database with a platform backup: for disaster recovery, with the web app and
 * workers stopped (`npm run platform:restore`). The backup is downloaded and verified first; the
 * restore runs in one transaction, so a bad archive leaves the database as it was.
 */
export async function restorePlatformFromBackup(
  deps: Pick<BackupDeps, 'openStore' | 'archiveKey' | 'platformDatabaseUrl'>,
  backupId: string,
  log: (line: string) => void,
) {
  const backup = await backupRepo.findById(backupId);
  if (backup?.engine !== 'platform') throw new Error(`No platform backup with id ${backupId}.`);
  if (backup.status !== 'succeeded' || !backup.key || !backup.sha256 || backup.sizeBytes === null) {
    throw new Error(
      `Platform backup ${backupId} is ${backup.status}; only succeeded backups can be restored.`,
    );
  }
  log(`downloading ${backup.key} from '${backup.destination.name}'`);
  const download = await downloadVerified(deps.openStore(backup.destination), backup.key, {
    size: Number(backup.sizeBytes),
    sha256: backup.sha256,
  });
  // pg_restore --clean drops every table; no connection of ours may hold a lock on one.
  await getDb().$disconnect();
  try {
    log(`checksum verified; restoring into the database (one transaction)`);
    await restorePlatformBackup(deps.platformDatabaseUrl(), download.open(), {
      key: backup.encrypted ? deps.archiveKey() : undefined,
      clean: true,
    });
  } finally {
    await download.dispose();
  }
  const counts = await rowCounts(deps.platformDatabaseUrl());
  log(
    `restored: ${Object.values(counts).reduce((sum, rows) => sum + rows, 0)} rows in ${Object.keys(counts).length} tables`,
  );
  return counts;
}
