import type { Readable } from 'node:stream';
import pg from 'pg';
import type { TableCount } from '@/server/databases/types';
import { restorePlatformBackup } from './platform-backup';
import { dumpDatabase, type PgToolOptions, rowCounts, withCountedSnapshot } from './platform-dump';

export type PlatformDatabaseOptions = Pick<PgToolOptions, 'pgDump' | 'pgRestore'> & {
  /** DATABASE_URL, read when first needed. */
  url: () => string;
  /** Runs before the live database is replaced: `pg_restore --clean` drops every table, so no
   * connection of this process may hold a lock on one. */
  beforeReplace?: () => Promise<void>;
};

/** Rise's own PostgreSQL database, backed up with pg_dump and restored with pg_restore. */
export function platformDatabase(options: PlatformDatabaseOptions) {
  const tools = { pgDump: options.pgDump, pgRestore: options.pgRestore };
  return {
    capture<T>(
      consume: (counts: TableCount[], dump: Readable) => Promise<T>,
      signal?: AbortSignal,
    ): Promise<T> {
      const url = options.url();
      return withCountedSnapshot(url, (snapshot, counts) =>
        consume(toTableCounts(counts), dumpDatabase(url, { ...tools, signal, snapshot })),
      );
    },

    /** Restores into a scratch database on the same server, counts its rows and drops it again. */
    async drill(
      archive: Readable,
      drill: { key?: Buffer; scratchName: string; signal?: AbortSignal },
    ): Promise<TableCount[]> {
      const databaseUrl = options.url();
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      const scratch = pg.escapeIdentifier(drill.scratchName);
      try {
        await admin.query(`CREATE DATABASE ${scratch}`);
        const url = new URL(databaseUrl);
        url.pathname = `/${drill.scratchName}`;
        await restorePlatformBackup(url.toString(), archive, {
          ...tools,
          key: drill.key,
          signal: drill.signal,
          clean: false,
        });
        return toTableCounts(await rowCounts(url.toString()));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch(() => {});
        await admin.end();
      }
    },

    async replace(archive: Readable, restore: { key?: Buffer }): Promise<TableCount[]> {
      await options.beforeReplace?.();
      await restorePlatformBackup(options.url(), archive, { ...tools, key: restore.key, clean: true });
      return toTableCounts(await rowCounts(options.url()));
    },
  };
}

const toTableCounts = (counts: Record<string, number>): TableCount[] =>
  Object.entries(counts)
    .map(([table, rows]) => ({ table, rows }))
    .sort((a, b) => a.table.localeCompare(b.table));
