import { getDb } from '@/server/db';

export const proxyAccessRepo = {
  /** The project row alone: forward-auth asks on every app request, so no relations are loaded. */
  findProjectByName: (name: string) => getDb().project.findUnique({ where: { name } }),
  /** The project whose preview group answers at `host` (deployment groups), the row alone. */
  findProjectByGroupHost: async (host: string) =>
    (await getDb().deploymentGroup.findUnique({ where: { host }, select: { project: true } }))?.project ??
    null,
};
