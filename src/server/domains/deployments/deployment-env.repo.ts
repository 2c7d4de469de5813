import { getDb } from '@/server/db';

/** Env var overrides of one deployment, values as stored (secrets sealed). */
export const deploymentEnvRepo = {
  list: (deploymentId: string) =>
    getDb().deploymentEnvVar.findMany({
      where: { deploymentId },
      select: { key: true, value: true, secret: true },
      orderBy: { key: 'asc' },
    }),
};
