import { Readable } from 'node:stream';
import type { DatabaseHost, TableCount } from '@/server/databases/types';
import type { DatabaseRecord } from '../databases/database.repo';
import { credentialsOf } from '../databases/database-credentials';
import type { PlatformDatabase } from './backup-deps';

/** What a backup dumps: a managed database (tools inside its container) or Rise's own database. */
export interface BackupSubject {
  engine: string;
  /** Folder of its backups inside a destination. */
  keyPrefix: string;
  /** File extension of the native dump. */
  extension: string;
  /**
   * Counts rows, then hands `consume` those counts and a dump. For Rise's own database both come from
   * one snapshot; a managed database is counted just before its dump starts.
   */
  capture<T>(consume: (counts: TableCount[], dump: Readable) => Promise<T>, signal?: AbortSignal): Promise<T>;
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
    capture: async (consume, signal) =>
      consume(await host.counts(target), Readable.from(host.dump(target, { signal }))),
  };
}

export function platformSubject(platform: PlatformDatabase): BackupSubject {
  return {
    engine: 'platform',
    keyPrefix: 'platform',
    extension: 'pgdump',
    capture: (consume, signal) => platform.capture(consume, signal),
  };
}
