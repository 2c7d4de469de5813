import { getDb, type Tx } from '@/server/db';
import type { RouteSource, RouteStateRepo } from './engine-repos';

const routeSource = {
  activeDeployment: { select: { id: true, slot: true, status: true } },
  domains: { where: { verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } },
} as const;

/** A transaction that writes a route lasts as long as the proxy write: long enough under a loaded host. */
export const ROUTE_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/** Takes the project's row lock for the rest of `tx`: route writers take turns (see RouteStateRepo). */
export async function lockProjectRow(tx: Tx, projectId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM projects WHERE id = ${projectId} FOR UPDATE`;
}

/** What the project's route is computed from, as `tx` sees it; null when the project is gone. */
export function readRouteSource(tx: Tx, projectId: string): Promise<RouteSource | null> {
  return tx.project.findUnique({ where: { id: projectId }, include: routeSource });
}

export const routeStateRepo: RouteStateRepo = {
  withLockedProject: (projectId, work) =>
    getDb().$transaction(async (tx) => {
      await lockProjectRow(tx, projectId);
      return work(await readRouteSource(tx, projectId));
    }, ROUTE_TRANSACTION_OPTIONS),
};
