import { getDb } from '@/server/db';

export const proxyAccessRepo = {
  /** The project row alone: forward-auth asks on every app request, so no relations are loaded. */
  findProjectByName: (name: string) => getDb().project.findUnique({ where: { name } }),
};
