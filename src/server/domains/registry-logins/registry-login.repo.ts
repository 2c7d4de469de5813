import { getDb, type Tx } from '@/server/db';

export const registryLoginRepo = {
  list: (projectId: string) =>
    getDb().registryLogin.findMany({ where: { projectId }, orderBy: { host: 'asc' } }),
  /** The login of the project named `projectName` for `host`: a project only ever reads its own. */
  findForProject: (projectName: string, host: string) =>
    getDb().registryLogin.findFirst({ where: { host, project: { name: projectName } } }),
  hostHasLogins: async (host: string) =>
    (await getDb().registryLogin.count({ where: { host }, take: 1 })) > 0,
  upsert: (projectId: string, host: string, username: string, sealedPassword: string, tx: Tx) =>
    tx.registryLogin.upsert({
      where: { projectId_host: { projectId, host } },
      create: { projectId, host, username, password: sealedPassword },
      update: { username, password: sealedPassword },
    }),
  delete: async (projectId: string, host: string, tx: Tx) =>
    (await tx.registryLogin.deleteMany({ where: { projectId, host } })).count,
};
