import { getDb, type Tx } from '@/server/db';
import { LIVE } from './state-machine';

const groupDeployment = {
  select: {
    id: true,
    status: true,
    expiresAt: true,
    createdAt: true,
    createdBy: { select: { username: true } },
  },
} as const;

/** Non-default deployment groups (previews); the default group's state lives on the project row. */
export const deploymentGroupRepo = {
  find: (projectId: string, name: string, tx?: Tx) =>
    (tx ?? getDb()).deploymentGroup.findUnique({ where: { projectId_name: { projectId, name } } }),
  count: (projectId: string, tx?: Tx) => (tx ?? getDb()).deploymentGroup.count({ where: { projectId } }),
  create: (data: { projectId: string; name: string; host: string }, tx?: Tx) =>
    (tx ?? getDb()).deploymentGroup.create({ data }),
  delete: async (projectId: string, name: string, tx?: Tx) =>
    (await (tx ?? getDb()).deploymentGroup.deleteMany({ where: { projectId, name } })).count === 1,
  /** The project's groups, each with its active deployment and its newest one. */
  listWithDeployments: async (projectId: string) => {
    const groups = await getDb().deploymentGroup.findMany({
      where: { projectId },
      include: { activeDeployment: groupDeployment },
      orderBy: { createdAt: 'desc' },
    });
    const latest = await Promise.all(
      groups.map((group) =>
        getDb().deployment.findFirst({
          where: { projectId, group: group.name },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          ...groupDeployment,
        }),
      ),
    );
    return groups.map((group, index) => ({ ...group, latest: latest[index] ?? null }));
  },
  /** How many of each project's groups have a live active deployment. */
  countLive: async (projectIds: string[]) => {
    const rows = await getDb().deploymentGroup.groupBy({
      by: ['projectId'],
      where: { projectId: { in: projectIds }, activeDeployment: { status: { in: [...LIVE] } } },
      _count: { _all: true },
    });
    return new Map(rows.map((row) => [row.projectId, row._count._all]));
  },
  /** Whether `host` is some project's `<name>.<base>` or a custom domain: no group may take it. */
  hostTakenByProject: async (host: string, baseDomain: string, tx?: Tx) => {
    const db = tx ?? getDb();
    const suffix = `.${baseDomain}`;
    if (
      host.endsWith(suffix) &&
      (await db.project.count({ where: { name: host.slice(0, -suffix.length) } })) > 0
    )
      return true;
    return (await db.domain.count({ where: { hostname: host } })) > 0;
  },
  /** Whether a group answers at `host` (a new project must not be named into it). */
  hostTakenByGroup: async (host: string, tx?: Tx) =>
    (await (tx ?? getDb()).deploymentGroup.count({ where: { host } })) > 0,
};
