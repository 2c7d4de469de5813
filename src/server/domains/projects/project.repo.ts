import { getDb, type Prisma, type Tx } from '@/server/db';

const projectInclude = {
  ownerUser: { select: { username: true } },
  ownerTeam: { select: { name: true } },
  activeDeployment: { select: { id: true, status: true, imageDigest: true, createdAt: true } },
  deployments: {
    select: { id: true, status: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: 1,
  },
} as const satisfies Prisma.ProjectInclude;

export type ProjectRecord = Prisma.ProjectGetPayload<{ include: typeof projectInclude }>;

export const projectRepo = {
  findByName: (name: string) => getDb().project.findUnique({ where: { name }, include: projectInclude }),
  findById: (id: string) => getDb().project.findUnique({ where: { id }, include: projectInclude }),
  listOwnedBy: (owners: { userId: string; teamIds: string[] } | 'all') =>
    getDb().project.findMany({
      where:
        owners === 'all'
          ? {}
          : { OR: [{ ownerUserId: owners.userId }, { ownerTeamId: { in: owners.teamIds } }] },
      include: projectInclude,
      orderBy: { name: 'asc' },
    }),
  listIdsOwnedBy: async (owners: { userId: string; teamIds: string[] }) =>
    (
      await getDb().project.findMany({
        where: { OR: [{ ownerUserId: owners.userId }, { ownerTeamId: { in: owners.teamIds } }] },
        select: { id: true },
      })
    ).map((project) => project.id),
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
