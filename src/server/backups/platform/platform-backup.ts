import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ArchiveOptions, archiveStages, unarchiveStages } from '../archive/backup-archive';
import { dumpDatabase, type PgToolOptions, type RestoreOptions, restoreDatabase } from './platform-dump';

/**
 * The platform backup: Rise's own database as `pg_dump -Fc` → gzip → (AES-256-GCM) archive.
 * Streams only; a destination (BackupStore, file) consumes what `platformBackupStream` produces.
 */

export type PlatformBackupOptions = PgToolOptions & ArchiveOptions;

/** The archive of a fresh dump; errors (pg_dump's message included) are raised on the stream. */
export function platformBackupStream(databaseUrl: string, options: PlatformBackupOptions = {}): Readable {
  const stages = archiveStages({ key: options.key });
  const dump = dumpDatabase(databaseUrl, options);
  const output = new PassThrough();
  pipeline(dump, ...stages, output).catch((error: Error) => output.destroy(error));
  output.on('close', () => {
    if (!output.writableFinished) dump.destroy();
  });
  return output;
}

/** Restores an archive produced by `platformBackupStream`; nothing is committed unless it verifies. */
export async function restorePlatformBackup(
  databaseUrl: string,
  archive: Readable,
  options: RestoreOptions & ArchiveOptions,
): Promise<void> {
  const [open, gunzip] = unarchiveStages({ key: options.key });
  const dump = new PassThrough();
  pipeline(archive, open, gunzip, dump).catch((error: Error) => dump.destroy(error));
  await restoreDatabase(databaseUrl, dump, options);
}

/** Writes a platform backup to `path`; on failure the partial file is removed. */
export async function writePlatformBackupFile(
  databaseUrl: string,
  path: string,
  options: PlatformBackupOptions = {},
): Promise<void> {
  try {
    await pipeline(platformBackupStream(databaseUrl, options), createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

/** Restores the platform backup stored at `path`. */
export async function restorePlatformBackupFile(
  databaseUrl: string,
  path: string,
  options: RestoreOptions & ArchiveOptions,
): Promise<void> {
  await restorePlatformBackup(databaseUrl, createReadStream(path), options);
}
