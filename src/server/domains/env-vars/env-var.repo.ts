import { getDb, type Tx } from '@/server/db';

export const envVarRepo = {
  list: (projectId: string) => getDb().envVar.findMany({ where: { projectId }, orderBy: { key: 'asc' } }),
  find: (projectId: string, key: string) =>
    getDb().envVar.findUnique({ where: { projectId_key: { projectId, key } } }),
  upsert: (projectId: string, key: string, value: string, secret: boolean, tx: Tx) =>
    tx.envVar.upsert({
      where: { projectId_key: { projectId, key } },
      create: { projectId, key, value, secret },
      update: { value, secret },
    }),
  delete: async (projectId: string, key: string, tx: Tx) =>
    (await tx.envVar.deleteMany({ where: { projectId, key } })).count,
};
