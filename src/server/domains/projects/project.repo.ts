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
};
