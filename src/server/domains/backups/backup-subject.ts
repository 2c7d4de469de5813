import { Readable } from 'node:stream';
import { dumpDatabase, rowCounts } from '@/server/backups/platform/platform-dump';
import type { DatabaseHost, TableCount } from '@/server/databases/types';
import type { DatabaseRecord } from '../databases/database.repo';
import { credentialsOf } from '../databases/database-credentials';

/** What a backup dumps: a managed database (tools inside its container) or Rise's own database. */
export interface BackupSubject {
  engine: string;
  /** Folder of its backups inside a destination. */
  keyPrefix: string;
  /** File extension of the native dump. */
  extension: string;
  counts(): Promise<TableCount[]>;
  dump(signal?: AbortSignal): Readable;
}

const EXTENSIONS: Record<DatabaseRecord['engine'], string> = {
  postgres: 'pgdump',
  mariadb: 'sql',
  redis: 'rdb',
};

export function managedDatabaseSubject(host: DatabaseHost, database: DatabaseRecord): BackupSubject {
  const target = { engine: database.engine, host: database.host, credentials: credentialsOf(database) };
  return {
    engine: database.engine,
    keyPrefix: `databases/${database.name}-${database.id}`,
    extension: EXTENSIONS[database.engine],
    counts: () => host.counts(target),
    dump: (signal) => Readable.from(host.dump(target, { signal })),
  };
}

export function platformSubject(databaseUrl: string): BackupSubject {
  return {
    engine: 'platform',
    keyPrefix: 'platform',
    extension: 'pgdump',
    counts: async () => toTableCounts(await rowCounts(databaseUrl)),
    dump: (signal) => dumpDatabase(databaseUrl, { signal }),
  };
}

export const toTableCounts = (counts: Record<string, number>): TableCount[] =>
  Object.entries(counts)
    .map(([table, rows]) => ({ table, rows }))
    .sort((a, b) => a.table.localeCompare(b.table));
