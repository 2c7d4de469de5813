import { getDb } from '@/server/db';
import type { RouteStateRepo } from './engine-repos';

const routeSource = {
  activeDeployment: { select: { id: true, slot: true, status: true } },
  domains: { where: { verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } },
} as const;

export const routeStateRepo: RouteStateRepo = {
  // The transaction lasts as long as `work` (a proxy write): long enough under a loaded host.
  withLockedProject: (projectId, work) =>
    getDb().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM projects WHERE id = ${projectId} FOR UPDATE`;
        return work(await tx.project.findUnique({ where: { id: projectId }, include: routeSource }));
      },
      { maxWait: 10_000, timeout: 60_000 },
    ),
};
