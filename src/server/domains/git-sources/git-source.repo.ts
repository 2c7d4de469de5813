import type { Prisma } from '@/generated/prisma/client';
import { getDb, type Tx } from '@/server/db';

export const gitSourceRepo = {
  find: (projectId: string, tx?: Tx) => (tx ?? getDb()).gitSource.findUnique({ where: { projectId } }),
  create: (data: Prisma.GitSourceUncheckedCreateInput, tx: Tx) => tx.gitSource.create({ data }),
  update: (projectId: string, data: Prisma.GitSourceUncheckedUpdateInput, tx: Tx) =>
    tx.gitSource.update({ where: { projectId }, data }),
  delete: async (projectId: string, tx: Tx) =>
    (await tx.gitSource.deleteMany({ where: { projectId } })).count,
};
