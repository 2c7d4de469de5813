import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unarchiveStages } from '@/server/backups/archive/backup-archive';
import { FakeBackupStore } from '@/server/backups/storage/fake';
import { FakeDatabaseHost } from '@/server/databases/fake';
import type { DatabaseEngine, TableCount } from '@/server/databases/types';
import { encryptSecret } from '@/server/security/secret-box';
import type { DatabaseRecord } from '../databases/database.repo';
import type { BackupRecord, DestinationRecord, RestoreRecord } from './backup.repo';
import type {
  BackupChanges,
  BackupDeps,
  BackupRepos,
  PlatformDatabase,
  RestoreChanges,
  ScheduledBackup,
  ScheduleRecord,
} from './backup-deps';

/**
 * Rise's own database for unit tests: its data is its row counts, a dump is those counts as JSON.
 * The real one is covered by platform-backup.int.test.ts and test/platform-restore.int.test.ts.
 */
export class FakePlatformDatabase implements PlatformDatabase {
  tables: TableCount[] = [];
  readonly drills: string[] = [];

  async capture<T>(consume: (counts: TableCount[], dump: Readable) => Promise<T>): Promise<T> {
    return consume([...this.tables], Readable.from([Buffer.from(JSON.stringify(this.tables))]));
  }

  async drill(archive: Readable, options: { key?: Buffer; scratchName: string }): Promise<TableCount[]> {
    this.drills.push(options.scratchName);
    return readArchive(archive, options.key);
  }

  async replace(archive: Readable, options: { key?: Buffer }): Promise<TableCount[]> {
    this.tables = await readArchive(archive, options.key);
    return this.tables;
  }
}

/** The JSON dump inside a backup archive, opened as a restore does (checks the key and the tag). */
export async function readArchive(archive: Readable, key?: Buffer): Promise<TableCount[]> {
  const chunks: Buffer[] = [];
  await pipeline(archive, ...unarchiveStages({ key }), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as TableCount[];
}

type StoredRestore = Omit<RestoreRecord, 'backup'>;
export type RestoreEvent = { restoreId: string; message: string; level: string };

/** The rows of backups, restores, schedules and databases, in maps. */
export class InMemoryBackupRepos implements BackupRepos {
  readonly backupRows = new Map<string, BackupRecord>();
  readonly restoreRows = new Map<string, StoredRestore>();
  readonly scheduleRows = new Map<string, ScheduleRecord>();
  readonly databaseRows = new Map<string, DatabaseRecord>();
  readonly events: RestoreEvent[] = [];

  readonly backups = {
    findById: async (id: string) => copy(this.backupRows.get(id)),
    update: async (id: string, changes: BackupChanges) => {
      Object.assign(this.existing(this.backupRows, id), changes);
    },
    listForSchedule: async (scheduleId: string): Promise<ScheduledBackup[]> =>
      [...this.backupRows.values()].filter((row) => row.scheduleId === scheduleId).map((row) => ({ ...row })),
    deleteMany: async (ids: string[]) => {
      for (const id of ids) this.backupRows.delete(id);
    },
  };

  readonly restores = {
    findById: async (id: string): Promise<RestoreRecord | null> => {
      const row = this.restoreRows.get(id);
      if (!row) return null;
      return { ...row, backup: this.existing(this.backupRows, row.backupId) };
    },
    update: async (id: string, changes: RestoreChanges) => {
      Object.assign(this.existing(this.restoreRows, id), changes);
    },
    addEvent: async (restoreId: string, message: string, level = 'info') => {
      this.events.push({ restoreId, message, level });
    },
  };

  readonly schedules = { findById: async (id: string) => copy(this.scheduleRows.get(id)) };

  readonly databases = {
    findById: async (id: string) => copy(this.databaseRows.get(id)),
    setStatus: async (id: string, status: DatabaseRecord['status'], error: string | null = null) => {
      const row = this.databaseRows.get(id);
      if (row) Object.assign(row, { status, error });
    },
  };

  private existing<T>(rows: Map<string, T>, id: string): T {
    const row = rows.get(id);
    if (!row) throw new Error(`no row ${id}`);
    return row;
  }
}

const copy = async <T extends object>(row: T | undefined): Promise<T | null> => (row ? { ...row } : null);

/** A clock that moves `stepMs` forward each time it is read. */
export function steppingClock(start: Date, stepMs = 1000): { now: () => Date } {
  let time = start.getTime();
  return {
    now: () => {
      const now = new Date(time);
      time += stepMs;
      return now;
    },
  };
}

export const ARCHIVE_KEY = Buffer.alloc(32, 7);
const PROJECT = { id: 'project-1', name: 'shop' };

/**
 * Backups and restores wired to in-memory fakes, with helpers that add rows the way Rise writes
 * them. Database passwords are sealed with RISE_ENCRYPTION_KEY, which the test must set.
 */
export function fakeBackupWorld(options: { start?: Date } = {}) {
  const host = new FakeDatabaseHost();
  const store = new FakeBackupStore();
  const platform = new FakePlatformDatabase();
  const repos = new InMemoryBackupRepos();
  const notifications: Parameters<BackupDeps['notify']>[0][] = [];
  const provisioned: string[] = [];
  const clock = steppingClock(options.start ?? new Date('2026-11-22T03:00:00Z'));
  const destination: DestinationRecord = {
    id: 'destination-1',
    projectId: PROJECT.id,
    name: 'local',
    kind: 'local',
    config: { path: '' },
    secret: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };

  const deps: BackupDeps = {
    host,
    openStore: () => store,
    archiveKey: () => ARCHIVE_KEY,
    platform,
    repos,
    provisionDatabase: async (databaseId) => {
      provisioned.push(databaseId);
      const row = repos.databaseRows.get(databaseId);
      if (!row) return { skipped: 'deleted' };
      await host.provision({
        engine: row.engine,
        image: row.image,
        project: PROJECT.name,
        host: row.host,
        volumeName: row.volumeName,
        credentials: { username: row.username, password: '', database: row.databaseName },
        cpuLimit: row.cpuLimit,
        memoryLimitMb: row.memoryLimitMb,
        labels: {},
      });
      row.status = 'running';
    },
    notify: async (event) => {
      notifications.push(event);
    },
    now: clock.now,
  };

  function addDatabase(
    name: string,
    data: { engine?: DatabaseEngine; status?: DatabaseRecord['status']; tables?: TableCount[] } = {},
  ): DatabaseRecord {
    const id = `db-${name}`;
    const row: DatabaseRecord = {
      id,
      projectId: PROJECT.id,
      name,
      engine: data.engine ?? 'postgres',
      image: 'postgres:17',
      status: data.status ?? 'running',
      error: null,
      username: 'app',
      password: encryptSecret('secret'),
      databaseName: 'app',
      host: `rise-db-${PROJECT.name}-${name}`,
      containerId: null,
      volumeName: `rise-db-${PROJECT.name}-${name}-data`,
      cpuLimit: null,
      memoryLimitMb: null,
      envPrefix: 'DATABASE',
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    repos.databaseRows.set(id, row);
    if (data.tables) {
      const credentials = { username: 'app', password: 'secret', database: 'app' };
      host.seed({ engine: row.engine, host: row.host, credentials, volumeName: row.volumeName }, data.tables);
    }
    return row;
  }

  function addBackup(
    database: DatabaseRecord | null,
    data: Partial<Omit<BackupRecord, 'destination' | 'project' | 'database'>> = {},
  ): BackupRecord {
    const id = data.id ?? `backup-${randomUUID().slice(0, 8)}`;
    const row: BackupRecord = {
      id,
      databaseId: database?.id ?? null,
      projectId: database ? PROJECT.id : null,
      databaseName: database?.name ?? null,
      scheduleId: null,
      destinationId: destination.id,
      engine: database?.engine ?? 'platform',
      trigger: 'manual',
      status: 'pending',
      key: null,
      sizeBytes: null,
      sha256: null,
      encrypted: false,
      tableCounts: null,
      error: null,
      requestedById: null,
      createdAt: new Date(0),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      ...data,
      destination,
      project: database ? { name: PROJECT.name } : null,
      database: database
        ? { id: database.id, name: database.name, projectId: PROJECT.id, project: { name: PROJECT.name } }
        : null,
    };
    repos.backupRows.set(id, row);
    return row;
  }

  function addRestore(
    backup: BackupRecord,
    mode: RestoreRecord['mode'],
    target: DatabaseRecord | null = null,
  ): StoredRestore {
    const row: StoredRestore = {
      id: `restore-${randomUUID().slice(0, 8)}`,
      backupId: backup.id,
      mode,
      status: 'pending',
      targetDatabaseId: target?.id ?? null,
      report: null,
      error: null,
      requestedById: null,
      createdAt: new Date(0),
      startedAt: null,
      finishedAt: null,
      targetDatabase: target ? { id: target.id, name: target.name } : null,
    };
    repos.restoreRows.set(row.id, row);
    return row;
  }

  function addSchedule(policy: { keepLast?: number; maxAgeDays?: number }): ScheduleRecord {
    const row = {
      id: `schedule-${randomUUID().slice(0, 8)}`,
      keepLast: policy.keepLast ?? null,
      maxAgeDays: policy.maxAgeDays ?? null,
    };
    repos.scheduleRows.set(row.id, row);
    return row;
  }

  return {
    deps,
    host,
    store,
    platform,
    repos,
    notifications,
    provisioned,
    addDatabase,
    addBackup,
    addRestore,
    addSchedule,
  };
}
