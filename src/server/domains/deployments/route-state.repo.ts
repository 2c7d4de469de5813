import { getDb, type Tx } from '@/server/db';

const routeSource = {
  activeDeployment: { select: { id: true, slot: true, status: true } },
  domains: { where: { verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } },
} as const;

export const routeStateRepo = {
  /**
   * What a project's route is made of, read while holding the project's row lock until `tx` ends: a
   * deploy's switch (which updates that row) and every other route writer take turns, so none can
   * write a route read before another's newer one. Null when the project no longer exists.
   */
  async lockAndRead(projectId: string, tx: Tx) {
    await tx.$executeRaw`SELECT 1 FROM projects WHERE id = ${projectId} FOR UPDATE`;
    return tx.project.findUnique({ where: { id: projectId }, include: routeSource });
  },

  /** Runs `work` in a transaction long enough for a proxy write under a loaded host. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return getDb().$transaction(work, { maxWait: 10_000, timeout: 60_000 });
  },
};
