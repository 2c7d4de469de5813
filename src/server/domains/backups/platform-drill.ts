import type { Readable } from 'node:stream';
import pg from 'pg';
import { restorePlatformBackup } from '@/server/backups/platform/platform-backup';
import { rowCounts } from '@/server/backups/platform/platform-dump';
import type { TableCount } from '@/server/databases/types';
import { toTableCounts } from './backup-subject';

/**
 * Restores a platform backup into a scratch database on Rise's own PostgreSQL server, counts its rows
 * and drops it again. The live database is never touched.
 */
export async function drillPlatformBackup(
  databaseUrl: string,
  archive: Readable,
  options: { key?: Buffer; scratchName: string; signal?: AbortSignal },
): Promise<TableCount[]> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const scratch = pg.escapeIdentifier(options.scratchName);
  try {
    await admin.query(`CREATE DATABASE ${scratch}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${options.scratchName}`;
    await restorePlatformBackup(url.toString(), archive, {
      key: options.key,
      signal: options.signal,
      clean: false,
    });
    return toTableCounts(await rowCounts(url.toString()));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

/** A PostgreSQL database name for a platform drill's scratch copy. */
export const platformDrillScratchName = (restoreId: string) =>
  `rise_drill_${restoreId
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(-16)}`;
