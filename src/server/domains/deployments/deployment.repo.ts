import type { DeploymentStatus } from '@/generated/prisma/enums';
import { getDb, Prisma, type Tx } from '@/server/db';
import type { TransitionData } from './engine-repos';
import { canTransition } from './state-machine';

const withProject = {
  project: {
    select: {
      id: true,
      name: true,
      desiredState: true,
      activeDeploymentId: true,
      ownerTeamId: true,
      // Where each preview group answers (its URL), as fixed when the group was created.
      deploymentGroups: { select: { name: true, host: true } },
    },
  },
  createdBy: { select: { username: true } },
  createdByServiceAccount: { select: { name: true } },
  activeForGroup: { select: { id: true } },
  envOverrides: { select: { key: true, value: true, secret: true }, orderBy: { key: 'asc' } },
} as const satisfies Prisma.DeploymentInclude;

export type DeploymentRecord = Prisma.DeploymentGetPayload<{ include: typeof withProject }>;

/**
 * Ids of a page of a project's deployments (of one group, when given), newest first, after `cursor`;
 * exported for the EXPLAIN test.
 */
export function deploymentPageSql(
  projectId: string,
  limit: number,
  cursor?: string,
  group?: string,
): Prisma.Sql {
  const inGroup = group === undefined ? Prisma.empty : Prisma.sql`AND d."group" = ${group}`;
  const after = cursor
    ? Prisma.sql`AND (d.created_at, d.id) < (SELECT c.created_at, c.id FROM deployments c WHERE c.id = ${cursor} AND c.project_id = ${projectId})`
    : Prisma.empty;
  return Prisma.sql`
    SELECT d.id FROM deployments d
    WHERE d.project_id = ${projectId} ${inGroup} ${after}
    ORDER BY d.created_at DESC, d.id DESC LIMIT ${limit}`;
}

export const deploymentRepo = {
  create: (
    data: {
      id: string;
      projectId: string;
      status: DeploymentStatus;
      image?: string | null;
      imageDigest?: string | null;
      rolledBackFromId?: string | null;
      createdById?: string | null;
      createdByServiceAccountId?: string | null;
      group?: string;
      expiresAt?: Date | null;
      trigger?: 'cli' | 'git_push' | 'pull_request' | 'manual' | 'rollback';
      gitRef?: string | null;
      commitSha?: string | null;
      commitMessage?: string | null;
      commitAuthor?: string | null;
      /** Env vars of this deployment only, values as stored (secrets sealed). */
      envOverrides?: { key: string; value: string; secret: boolean }[];
    },
    tx?: Tx,
  ) => {
    const { envOverrides = [], ...deployment } = data;
    return (tx ?? getDb()).deployment.create({
      data: { ...deployment, envOverrides: { create: envOverrides } },
    });
  },
  findById: (id: string) => getDb().deployment.findUnique({ where: { id }, include: withProject }),
  findInProject: (projectId: string, id: string) =>
    getDb().deployment.findFirst({ where: { projectId, id }, include: withProject }),
  /**
   * A page of the project's deployments (of `group` only, when given), newest first, after the
   * deployment `cursor` (keyset).
   */
  listForProject: async (projectId: string, limit: number, cursor?: string, group?: string) => {
    const ids = (
      await getDb().$queryRaw<{ id: string }[]>(deploymentPageSql(projectId, limit, cursor, group))
    ).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await getDb().deployment.findMany({ where: { id: { in: ids } }, include: withProject });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  },
  /**
   * The newest deployment of `group` other than `excludeId` that ran and has a pinned image: what a
   * rollback returns to.
   */
  findRollbackTarget: (projectId: string, group: string, excludeId: string | null) =>
    getDb().deployment.findFirst({
      where: {
        projectId,
        group,
        id: excludeId ? { not: excludeId } : undefined,
        imageDigest: { not: null },
        OR: [{ healthyAt: { not: null } }],
      },
      include: withProject,
      orderBy: { createdAt: 'desc' },
    }),
  /** The newest deployment of `group` (default: the default group) that ran, with a pinned image. */
  findLatestRunnable: (projectId: string, group = 'default') =>
    getDb().deployment.findFirst({
      where: { projectId, group, imageDigest: { not: null }, healthyAt: { not: null } },
      include: withProject,
      orderBy: { createdAt: 'desc' },
    }),
  listByStatus: (statuses: readonly DeploymentStatus[]) =>
    getDb().deployment.findMany({ where: { status: { in: [...statuses] } }, include: withProject }),
  /** Deployments in one of `statuses` whose expiry has come. */
  listExpired: (now: Date, statuses: readonly DeploymentStatus[]) =>
    getDb().deployment.findMany({
      where: { expiresAt: { lte: now }, status: { in: [...statuses] } },
      include: withProject,
    }),
  findOwners: (ids: string[]) =>
    getDb().deployment.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, projectId: true, group: true },
    }),
  /**
   * Moves a deployment from one of `from` to `to` only if it is still there (compare-and-set in SQL),
   * so two workers never both move one deployment. Returns whether this caller made the transition.
   */
  transition: async (
    id: string,
    from: DeploymentStatus | readonly DeploymentStatus[],
    to: DeploymentStatus,
    data: TransitionData = {},
    tx?: Tx,
  ) => {
    const expected = typeof from === 'string' ? [from] : [...from];
    for (const source of expected) {
      if (!canTransition(source, to)) throw new Error(`illegal deployment transition ${source} → ${to}`);
    }
    const now = new Date();
    const timestamps = {
      ...(to === 'building' || to === 'deploying' ? { startedAt: now } : {}),
      ...(to === 'healthy' ? { healthyAt: now } : {}),
      ...(['cancelled', 'stopped', 'superseded', 'failed', 'expired'].includes(to)
        ? { finishedAt: now }
        : {}),
    };
    const result = await (tx ?? getDb()).deployment.updateMany({
      where: { id, status: { in: expected } },
      data: { status: to, ...timestamps, ...data },
    });
    return result.count === 1;
  },
  /** A group's deployments in one of `statuses`. */
  listInGroup: (projectId: string, group: string, statuses: readonly DeploymentStatus[], tx?: Tx) =>
    (tx ?? getDb()).deployment.findMany({
      where: { projectId, group, status: { in: [...statuses] } },
      select: { id: true, status: true },
    }),
  setExpiry: (id: string, expiresAt: Date | null, tx?: Tx) =>
    (tx ?? getDb()).deployment.update({ where: { id }, data: { expiresAt } }),
  update: (id: string, data: TransitionData) => getDb().deployment.update({ where: { id }, data }),
  addEvent: (deploymentId: string, message: string, level: 'info' | 'warn' | 'error' = 'info', tx?: Tx) =>
    (tx ?? getDb()).deploymentEvent.create({ data: { deploymentId, message, level } }),
  eventsAfter: (deploymentId: string, afterId: bigint, limit = 500) =>
    getDb().deploymentEvent.findMany({
      where: { deploymentId, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: limit,
    }),
};
