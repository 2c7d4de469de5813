import type { Prisma } from '@/generated/prisma/client';
import { getDb, type Tx } from '@/server/db';

export { isUniqueViolation } from '@/server/db';

/** Runs `work` in one transaction: rows, audit entries and queued jobs commit together. */
export const inTransaction = <T>(work: (tx: Tx) => Promise<T>): Promise<T> => getDb().$transaction(work);

/** projectId null = platform rows (Rise's own database). */
export const destinationRepo = {
  list: (projectId: string | null) =>
    getDb().backupDestination.findMany({ where: { projectId }, orderBy: { name: 'asc' } }),
  find: (projectId: string | null, name: string) =>
    getDb().backupDestination.findFirst({ where: { projectId, name } }),
  findById: (id: string) => getDb().backupDestination.findUnique({ where: { id } }),
  create: (data: Prisma.BackupDestinationUncheckedCreateInput, tx: Tx = getDb()) =>
    tx.backupDestination.create({ data }),
  delete: (id: string, tx: Tx = getDb()) => tx.backupDestination.delete({ where: { id } }),
  inUse: async (id: string) =>
    (await getDb().backupSchedule.count({ where: { destinationId: id } })) +
      (await getDb().backup.count({ where: { destinationId: id } })) +
      (await getDb().volumeBackup.count({ where: { destinationId: id } })) >
    0,
};

export type DestinationRecord = NonNullable<Awaited<ReturnType<typeof destinationRepo.findById>>>;

export const scheduleRepo = {
  listForDatabase: (databaseId: string | null) =>
    getDb().backupSchedule.findMany({
      where: { databaseId },
      include: { destination: true },
      orderBy: { createdAt: 'asc' },
    }),
  listAll: () => getDb().backupSchedule.findMany({ select: { id: true, cron: true, enabled: true } }),
  findById: (id: string) =>
    getDb().backupSchedule.findUnique({ where: { id }, include: { destination: true, database: true } }),
  create: (data: Prisma.BackupScheduleUncheckedCreateInput, tx: Tx) =>
    tx.backupSchedule.create({ data, include: { destination: true } }),
  delete: (id: string, tx: Tx) => tx.backupSchedule.delete({ where: { id } }),
};

const backupInclude = {
  destination: true,
  project: { select: { name: true } },
  database: { select: { id: true, name: true, projectId: true, project: { select: { name: true } } } },
} as const;

/** What a history row shows: names only, not the destination's config and credentials. */
const backupListInclude = {
  destination: { select: { name: true } },
  database: { select: { name: true } },
} as const;

export const backupRepo = {
  create: (data: Prisma.BackupUncheckedCreateInput, tx: Tx = getDb()) =>
    tx.backup.create({ data, include: backupInclude }),
  findById: (id: string) => getDb().backup.findUnique({ where: { id }, include: backupInclude }),
  update: (id: string, data: Prisma.BackupUncheckedUpdateInput) =>
    getDb().backup.update({ where: { id }, data }),
  /** Newest first, a page after the backup `cursor` (keyset on created_at, id). */
  list: (where: Prisma.BackupWhereInput, page: { limit?: number; cursor?: string | null } = {}) =>
    getDb().backup.findMany({
      where,
      include: backupListInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit ?? 50,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    }),
  listForSchedule: (scheduleId: string) =>
    getDb().backup.findMany({ where: { scheduleId }, include: { destination: true } }),
  deleteMany: (ids: string[]) => getDb().backup.deleteMany({ where: { id: { in: ids } } }),
};

export type BackupRecord = NonNullable<Awaited<ReturnType<typeof backupRepo.findById>>>;
/** A backup as a history lists it. */
export type BackupListRecord = Awaited<ReturnType<typeof backupRepo.list>>[number];

const restoreInclude = {
  backup: { include: backupInclude },
  targetDatabase: { select: { id: true, name: true } },
} as const;

export const restoreRepo = {
  create: (data: Prisma.RestoreUncheckedCreateInput, tx: Tx = getDb()) =>
    tx.restore.create({ data, include: restoreInclude }),
  findById: (id: string) => getDb().restore.findUnique({ where: { id }, include: restoreInclude }),
  update: (id: string, data: Prisma.RestoreUncheckedUpdateInput) =>
    getDb().restore.update({ where: { id }, data }),
  /** Newest first, a page after the restore `cursor`. */
  list: (backups: Prisma.BackupWhereInput, page: { limit?: number; cursor?: string | null } = {}) =>
    getDb().restore.findMany({
      where: { backup: backups },
      include: { targetDatabase: { select: { name: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit ?? 50,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    }),
  addEvent: (restoreId: string, message: string, level = 'info') =>
    getDb().restoreEvent.create({ data: { restoreId, message, level } }),
  eventsAfter: (restoreId: string, afterId: bigint, limit = 500) =>
    getDb().restoreEvent.findMany({
      where: { restoreId, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
    }),
};

export type RestoreRecord = NonNullable<Awaited<ReturnType<typeof restoreRepo.findById>>>;
/** A restore as a history lists it. */
export type RestoreListRecord = Awaited<ReturnType<typeof restoreRepo.list>>[number];

/**
 * Closes this process's connections to Rise's database, e.g. before a platform restore drops every
 * table (Prisma reconnects on the next query).
 */
export const releaseDatabaseConnections = () => getDb().$disconnect();
