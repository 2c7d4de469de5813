import type { DeploymentStatus } from '@/generated/prisma/enums';
import { getDb, Prisma, type Tx } from '@/server/db';

const projectInclude = {
  ownerUser: { select: { username: true } },
  ownerTeam: { select: { name: true } },
  activeDeployment: { select: { id: true, status: true, imageDigest: true, createdAt: true } },
  // The latest of the default group: previews do not set the project's status.
  deployments: {
    where: { group: 'default' },
    select: { id: true, status: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: 1,
  },
  deploymentGroups: { select: { activeDeployment: { select: { status: true } } } },
} as const satisfies Prisma.ProjectInclude;

export type ProjectRecord = Prisma.ProjectGetPayload<{ include: typeof projectInclude }>;

/** Which projects a list may show: every one (platform admins), an owner set, or exact ids. */
export type ProjectListScope = 'all' | { userId: string; teamIds: string[] } | { projectIds: string[] };

export type ProjectListFilter = {
  scope: ProjectListScope;
  /** Only projects this team owns. */
  teamId?: string;
  /** A substring of the name (names are lowercase letters, digits and hyphens only). */
  search?: string;
  /** Only these projects (within the scope). */
  ids?: string[];
};

/** One row of a project list: only what a summary shows, the latest deployment found by index. */
export type ProjectListRow = {
  id: string;
  name: string;
  visibility: 'public' | 'private';
  desiredState: 'running' | 'stopped';
  ownerTeamId: string | null;
  ownerUsername: string | null;
  ownerTeamName: string | null;
  activeDeploymentId: string | null;
  activeStatus: DeploymentStatus | null;
  lastId: string | null;
  lastStatus: DeploymentStatus | null;
  /** Preview groups whose active deployment is live. */
  previews: number;
  lastCreatedAt: Date | null;
  createdAt: Date;
};

function scopeCondition(scope: Exclude<ProjectListScope, { userId: string }>): Prisma.Sql {
  if (scope === 'all') return Prisma.sql`TRUE`;
  return scope.projectIds.length ? Prisma.sql`p.id IN (${Prisma.join(scope.projectIds)})` : Prisma.sql`FALSE`;
}

/**
 * A page of projects in name order after `cursor` (keyset: no OFFSET). A member's projects are read
 * per owner by index (their own, then each team's), each branch already cut to the page; the page is
 * cut first, then each of its projects gets its latest deployment by one index probe. Exported for
 * the EXPLAIN test.
 */
export function projectPageSql(
  filter: ProjectListFilter,
  page: { limit: number; cursor?: string },
): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.teamId) conditions.push(Prisma.sql`p.owner_team_id = ${filter.teamId}`);
  if (filter.ids) {
    conditions.push(filter.ids.length ? Prisma.sql`p.id IN (${Prisma.join(filter.ids)})` : Prisma.sql`FALSE`);
  }
  if (filter.search) conditions.push(Prisma.sql`p.name LIKE ${`%${filter.search}%`}`);
  if (page.cursor) conditions.push(Prisma.sql`p.name > ${page.cursor}`);
  const branch = (owner: Prisma.Sql) =>
    Prisma.sql`(SELECT p.* FROM projects p WHERE ${Prisma.join([owner, ...conditions], ' AND ')}
      ORDER BY p.name LIMIT ${page.limit})`;
  const { scope } = filter;
  const source =
    scope !== 'all' && 'userId' in scope
      ? Prisma.sql`(SELECT * FROM (${Prisma.join(
          [
            branch(Prisma.sql`p.owner_user_id = ${scope.userId}`),
            ...scope.teamIds.map((teamId) => branch(Prisma.sql`p.owner_team_id = ${teamId}`)),
          ],
          ' UNION ALL ',
        )}) owned ORDER BY name LIMIT ${page.limit})`
      : branch(scopeCondition(scope));
  return Prisma.sql`
    SELECT p.id, p.name, p.visibility::text AS "visibility", p.desired_state::text AS "desiredState",
      p.owner_team_id AS "ownerTeamId", u.username AS "ownerUsername", t.name AS "ownerTeamName",
      p.active_deployment_id AS "activeDeploymentId", a.status::text AS "activeStatus",
      l.id AS "lastId", l.status::text AS "lastStatus", l.created_at AS "lastCreatedAt",
      p.created_at AS "createdAt",
      (SELECT count(*)::int FROM deployment_groups g JOIN deployments gd ON gd.id = g.active_deployment_id
        WHERE g.project_id = p.id AND gd.status IN ('healthy', 'unhealthy')) AS "previews"
    FROM ${source} p
    LEFT JOIN users u ON u.id = p.owner_user_id
    LEFT JOIN teams t ON t.id = p.owner_team_id
    LEFT JOIN deployments a ON a.id = p.active_deployment_id
    LEFT JOIN LATERAL (
      SELECT d.id, d.status, d.created_at FROM deployments d
      WHERE d.project_id = p.id AND d."group" = 'default' ORDER BY d.created_at DESC, d.id DESC LIMIT 1
    ) l ON TRUE
    ORDER BY p.name`;
}

export const projectRepo = {
  findByName: (name: string) => getDb().project.findUnique({ where: { name }, include: projectInclude }),
  findById: (id: string) => getDb().project.findUnique({ where: { id }, include: projectInclude }),
  listPage: (filter: ProjectListFilter, page: { limit: number; cursor?: string }) =>
    getDb().$queryRaw<ProjectListRow[]>(projectPageSql(filter, page)),
  listIdsOwnedBy: async (owners: { userId: string; teamIds: string[] }) =>
    (
      await getDb().project.findMany({
        where: { OR: [{ ownerUserId: owners.userId }, { ownerTeamId: { in: owners.teamIds } }] },
        select: { id: true },
      })
    ).map((project) => project.id),
  findIdByName: async (name: string) =>
    (await getDb().project.findUnique({ where: { name }, select: { id: true } }))?.id ?? null,
  nameTaken: async (name: string) => (await getDb().project.count({ where: { name } })) > 0,
  create: (data: Prisma.ProjectUncheckedCreateInput, tx: Tx) =>
    tx.project.create({ data, include: projectInclude }),
  update: (id: string, data: Prisma.ProjectUncheckedUpdateInput, tx: Tx) =>
    tx.project.update({ where: { id }, data, include: projectInclude }),
  delete: (id: string, tx: Tx) => tx.project.delete({ where: { id } }),
  /** Every project, or those on one runtime ('docker', 'kubernetes'). */
  listForReconcile: (runtime?: string) =>
    getDb().project.findMany({
      where: runtime ? { runtime } : {},
      include: {
        activeDeployment: true,
        domains: { where: { verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } },
      },
    }),
  findForDeploy: (id: string) =>
    getDb().project.findUnique({
      where: { id },
      include: {
        activeDeployment: true,
        domains: { where: { verifiedAt: { not: null } }, select: { hostname: true, verifiedAt: true } },
      },
    }),
  /** The runtime a project runs on ('docker', 'kubernetes'), or null when it does not exist. */
  findRuntime: async (id: string) =>
    (await getDb().project.findUnique({ where: { id }, select: { runtime: true } }))?.runtime ?? null,
  /** Whether any project runs on `runtime`. */
  anyOnRuntime: async (runtime: string) => (await getDb().project.count({ where: { runtime }, take: 1 })) > 0,
  setDesiredState: (id: string, desiredState: 'running' | 'stopped', tx?: Tx) =>
    (tx ?? getDb()).project.update({ where: { id }, data: { desiredState } }),
  setActiveDeployment: (id: string, activeDeploymentId: string | null, tx?: Tx) =>
    (tx ?? getDb()).project.update({ where: { id }, data: { activeDeploymentId } }),
  /** Ports already given to slots, to pick free ones from the configured range. */
  usedSlotPorts: async () => {
    const rows = await getDb().project.findMany({
      where: { OR: [{ slotPortA: { not: null } }, { slotPortB: { not: null } }] },
      select: { slotPortA: true, slotPortB: true },
    });
    return new Set(
      rows.flatMap((row) => [row.slotPortA, row.slotPortB]).filter((p): p is number => p !== null),
    );
  },
  setSlotPorts: async (id: string, ports: [number, number]) =>
    (
      await getDb().project.updateMany({
        where: { id, slotPortA: null },
        data: { slotPortA: ports[0], slotPortB: ports[1] },
      })
    ).count === 1,
  /** Moves one slot to another host port, unless someone changed that slot's port meanwhile. */
  replaceSlotPort: async (id: string, slot: 'a' | 'b', from: number, to: number) =>
    (
      await getDb().project.updateMany({
        where: slot === 'a' ? { id, slotPortA: from } : { id, slotPortB: from },
        data: slot === 'a' ? { slotPortA: to } : { slotPortB: to },
      })
    ).count === 1,
};
