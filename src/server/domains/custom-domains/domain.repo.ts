import { getDb, type Tx } from '@/server/db';

export const domainRepo = {
  listForProject: (projectId: string) =>
    getDb().domain.findMany({ where: { projectId }, orderBy: { hostname: 'asc' } }),
  findByHostname: (hostname: string) => getDb().domain.findUnique({ where: { hostname } }),
  create: (
    data: { projectId: string; hostname: string; verifiedAt: Date | null; verificationToken: string },
    tx: Tx,
  ) => tx.domain.create({ data }),
  delete: async (projectId: string, hostname: string, tx: Tx) =>
    (await tx.domain.deleteMany({ where: { projectId, hostname } })).count,
};
