import { getDb, type Tx } from '@/server/db';

export const domainRepo = {
  listForProject: (projectId: string) =>
    getDb().domain.findMany({ where: { projectId }, orderBy: { hostname: 'asc' } }),
  findByHostname: (hostname: string) => getDb().domain.findUnique({ where: { hostname } }),
  findForProject: (projectId: string, hostname: string) =>
    getDb().domain.findFirst({ where: { projectId, hostname } }),
  findById: (id: string) => getDb().domain.findUnique({ where: { id } }),
  create: (
    data: { projectId: string; hostname: string; verifiedAt: Date | null; verificationToken: string },
    tx: Tx,
  ) => tx.domain.create({ data }),
  delete: async (projectId: string, hostname: string, tx: Tx) =>
    (await tx.domain.deleteMany({ where: { projectId, hostname } })).count,
  /** Deletes a claim only while it is still pending; false when it was verified or removed meanwhile. */
  deletePending: async (id: string, tx: Tx) =>
    (await tx.domain.deleteMany({ where: { id, verifiedAt: null } })).count === 1,
  /**
   * Takes the right to check a pending domain now: true when it was last checked before `checkedBefore`
   * (or never), so concurrent checks of one domain (web and worker, double clicks) do not pile up.
   */
  claimCheck: async (id: string, checkedBefore: Date, now: Date) =>
    (
      await getDb().domain.updateMany({
        where: {
          id,
          verifiedAt: null,
          OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: checkedBefore } }],
        },
        data: { lastCheckedAt: now },
      })
    ).count === 1,
  recordFailedCheck: (id: string, error: string, now: Date) =>
    getDb().domain.updateMany({
      where: { id, verifiedAt: null },
      data: { lastCheckedAt: now, lastCheckError: error },
    }),
  markVerified: async (id: string, now: Date, tx: Tx) =>
    (
      await tx.domain.updateMany({
        where: { id, verifiedAt: null },
        data: { verifiedAt: now, lastCheckedAt: now, lastCheckError: null },
      })
    ).count === 1,
  /** Pending domains added after `createdAfter` or never checked, least recently checked first. */
  listPendingSince: (createdAfter: Date, limit: number) =>
    getDb().domain.findMany({
      where: { verifiedAt: null, OR: [{ createdAt: { gt: createdAfter } }, { lastCheckedAt: null }] },
      orderBy: [{ lastCheckedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
      take: limit,
      include: { project: { select: { id: true, name: true, ownerTeamId: true } } },
    }),
  /** The project a verified custom domain routes to. */
  findVerifiedWithProject: (hostname: string) =>
    getDb().domain.findFirst({ where: { hostname, verifiedAt: { not: null } }, include: { project: true } }),
  /** Whether `token` is the token of pending domain `hostname` (the HTTP challenge). */
  isPendingWithToken: async (hostname: string, token: string) =>
    (await getDb().domain.count({ where: { hostname, verificationToken: token, verifiedAt: null } })) === 1,
};
