import type { Prisma } from '@/generated/prisma/client';
import type { DatabaseStatus } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';

export { isUniqueViolation } from '@/server/db';

/** Runs `work` in one transaction: the row, its audit entry and its queued job commit together. */
export const inTransaction = <T>(work: (tx: Tx) => Promise<T>): Promise<T> => getDb().$transaction(work);

export const databaseRepo = {
  list: (projectId: string) =>
    getDb().managedDatabase.findMany({ where: { projectId }, orderBy: { name: 'asc' } }),
  find: (projectId: string, name: string) =>
    getDb().managedDatabase.findUnique({ where: { projectId_name: { projectId, name } } }),
  findById: (id: string) => getDb().managedDatabase.findUnique({ where: { id } }),
  findWithProject: (id: string) =>
    getDb().managedDatabase.findUnique({
      where: { id },
      include: { project: { select: { id: true, name: true, ownerTeamId: true } } },
    }),
  linked: (projectId: string) =>
    getDb().managedDatabase.findMany({
      where: { projectId, envPrefix: { not: null } },
      orderBy: { createdAt: 'asc' },
    }),
  create: (data: Prisma.ManagedDatabaseUncheckedCreateInput, tx: Tx) => tx.managedDatabase.create({ data }),
  update: (id: string, data: Prisma.ManagedDatabaseUncheckedUpdateInput, tx: Tx = getDb()) =>
    tx.managedDatabase.update({ where: { id }, data }),
  setStatus: (id: string, status: DatabaseStatus, error: string | null = null) =>
    getDb().managedDatabase.updateMany({ where: { id }, data: { status, error } }),
  delete: (id: string, tx: Tx) => tx.managedDatabase.delete({ where: { id } }),
  listForProject: (projectId: string, tx: Tx = getDb()) =>
    tx.managedDatabase.findMany({ where: { projectId } }),
};

export type DatabaseRecord = NonNullable<Awaited<ReturnType<typeof databaseRepo.findById>>>;
