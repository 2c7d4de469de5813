import type { TeamRole } from '@/generated/prisma/enums';
import { getDb, type Prisma, type Tx } from '@/server/db';

export const serviceAccountRepo = {
  listForProject: (projectId: string) =>
    getDb().serviceAccount.findMany({ where: { projectId }, orderBy: { name: 'asc' } }),
  /** By id or by name: names are unique per project, ids everywhere. */
  findInProject: (projectId: string, idOrName: string) =>
    getDb().serviceAccount.findFirst({
      where: { projectId, OR: [{ id: idOrName }, { name: idOrName }] },
    }),
  listForIssuer: (issuer: string) =>
    getDb().serviceAccount.findMany({ where: { issuer }, orderBy: { name: 'asc' } }),
  create: (
    data: { projectId: string; name: string; issuer: string; claims: Prisma.InputJsonObject; role: TeamRole },
    tx: Tx,
  ) => tx.serviceAccount.create({ data }),
  delete: async (projectId: string, name: string, tx: Tx) =>
    (await tx.serviceAccount.deleteMany({ where: { projectId, name } })).count,
};
