import { getDb, type Tx } from '@/server/db';

export const notificationRepo = {
  create: (
    data: { kind: string; projectId: string | null; title: string; details: object; dedupeKey?: string },
    tx: Tx = getDb(),
  ) => tx.notificationEvent.create({ data }),
  /** The newest first. */
  listForProject: (projectId: string | null, kinds: readonly string[], limit: number) =>
    getDb().notificationEvent.findMany({
      where: { projectId, kind: { in: [...kinds] } },
      orderBy: { createdAt: 'desc' },
      take: limit,
    }),
  findWithProject: (id: string) =>
    getDb().notificationEvent.findUnique({
      where: { id },
      include: { project: { select: { name: true } } },
    }),
  markDelivered: (id: string) =>
    getDb().notificationEvent.updateMany({
      where: { id, deliveredAt: null },
      data: { deliveredAt: new Date() },
    }),
  projectOwner: (projectId: string, tx: Tx) =>
    tx.project.findUnique({ where: { id: projectId }, select: { ownerTeamId: true } }),
  /** A deployment's project and group, for the notification of its status change. */
  deployment: (id: string) =>
    getDb().deployment.findUnique({
      where: { id },
      select: {
        id: true,
        status: true,
        group: true,
        error: true,
        image: true,
        commitSha: true,
        project: { select: { id: true, name: true } },
      },
    }),
};
