import type { Readable } from 'node:stream';
import type { DatabaseStatus } from '@/generated/prisma/enums';
import type { BackupStore } from '@/server/backups/storage/backup-store';
import type { DatabaseHost, TableCount } from '@/server/databases/types';
import type { Prisma } from '@/server/db';
import type { DatabaseRecord } from '../databases/database.repo';
import type { NotificationKind } from '../notifications/notification.service';
import type { BackupRecord, DestinationRecord, RestoreRecord } from './backup.repo';

/**
 * Rise's own PostgreSQL database as backups see it. The worker wires pg_dump / pg_restore against
 * DATABASE_URL (src/server/backups/platform/platform-database.ts).
 */
export interface PlatformDatabase {
  /** Counts rows and dumps (`pg_dump -Fc`) from one snapshot, handing both to `consume`. */
  capture<T>(consume: (counts: TableCount[], dump: Readable) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Restores an archive into a scratch database on the same server, counts its rows, drops it. */
  drill(
    archive: Readable,
    options: { key?: Buffer; scratchName: string; signal?: AbortSignal },
  ): Promise<TableCount[]>;
  /** Replaces the live database with an archive (one transaction) and counts its rows. */
  replace(archive: Readable, options: { key?: Buffer }): Promise<TableCount[]>;
}

export type BackupChanges = Pick<
  Prisma.BackupUncheckedUpdateInput,
  | 'status'
  | 'startedAt'
  | 'finishedAt'
  | 'key'
  | 'sizeBytes'
  | 'sha256'
  | 'tableCounts'
  | 'durationMs'
  | 'error'
>;
export type RestoreChanges = Pick<
  Prisma.RestoreUncheckedUpdateInput,
  'status' | 'startedAt' | 'finishedAt' | 'report' | 'error'
>;

/** What a schedule's retention looks at: its backups and where each is stored. */
export type ScheduledBackup = Pick<
  BackupRecord,
  'id' | 'scheduleId' | 'createdAt' | 'status' | 'key' | 'destination'
>;
export type ScheduleRecord = { id: string; keepLast: number | null; maxAgeDays: number | null };

/** The rows backups and restores read and write (backup.repo.ts, database.repo.ts in production). */
export interface BackupRepos {
  backups: {
    findById(id: string): Promise<BackupRecord | null>;
    update(id: string, changes: BackupChanges): Promise<unknown>;
    listForSchedule(scheduleId: string): Promise<ScheduledBackup[]>;
    deleteMany(ids: string[]): Promise<unknown>;
  };
  restores: {
    findById(id: string): Promise<RestoreRecord | null>;
    update(id: string, changes: RestoreChanges): Promise<unknown>;
    addEvent(restoreId: string, message: string, level?: string): Promise<unknown>;
  };
  schedules: { findById(id: string): Promise<ScheduleRecord | null> };
  databases: {
    findById(id: string): Promise<DatabaseRecord | null>;
    setStatus(id: string, status: DatabaseStatus, error?: string | null): Promise<unknown>;
  };
}

/**
 * What backups and restores need from outside; the worker wires the real ones
 * (src/server/jobs/backup-deps.ts), unit tests in-memory fakes.
 */
export type BackupDeps = {
  host: DatabaseHost;
  /** The store a destination row describes. */
  openStore(destination: DestinationRecord): BackupStore;
  archiveKey(): Buffer;
  platform: PlatformDatabase;
  repos: BackupRepos;
  /** Starts a database's container and waits until it accepts connections (a restore into a new one). */
  provisionDatabase(databaseId: string, signal?: AbortSignal): Promise<unknown>;
  notify(event: {
    kind: NotificationKind;
    projectId: string | null;
    title: string;
    details?: Record<string, unknown>;
  }): Promise<unknown>;
  now(): Date;
};
