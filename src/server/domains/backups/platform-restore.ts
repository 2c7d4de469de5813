import type { BackupDeps } from './backup-deps';
import { downloadVerified } from './verified-download';

/**
 * Replaces Rise's own database with a platform backup: for disaster recovery, with the web app and
 * workers stopped (`npm run platform:restore`). The backup is downloaded and verified first; the
 * restore runs in one transaction, so a bad archive leaves the database as it was.
 */
export async function restorePlatformFromBackup(
  deps: Pick<BackupDeps, 'openStore' | 'archiveKey' | 'platform' | 'repos'>,
  backupId: string,
  log: (line: string) => void,
) {
  const backup = await deps.repos.backups.findById(backupId);
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
  let counts: Awaited<ReturnType<BackupDeps['platform']['replace']>>;
  try {
    log(`checksum verified; restoring into the database (one transaction)`);
    counts = await deps.platform.replace(download.open(), {
      key: backup.encrypted ? deps.archiveKey() : undefined,
    });
  } finally {
    await download.dispose();
  }
  log(`restored: ${counts.reduce((sum, count) => sum + count.rows, 0)} rows in ${counts.length} tables`);
  return counts;
}
