import { getDb, type Prisma } from '@/server/db';
import type { GitProvider } from './git-event.schema';

export type DeliveryStatus = 'accepted' | 'ignored' | 'failed';

export const gitHookRepo = {
  findSourceByHookId: (hookId: string) =>
    getDb().gitSource.findUnique({
      where: { hookId },
      include: { project: { select: { id: true, name: true, ownerTeamId: true } } },
    }),
  findSourceByProject: (projectId: string) => getDb().gitSource.findUnique({ where: { projectId } }),
  /** Null when this source already recorded `deliveryId` (a redelivery). */
  createDelivery: async (data: {
    sourceId: string;
    provider: GitProvider;
    deliveryId: string;
    event: string;
    status: DeliveryStatus;
    detail: string;
    payload: Prisma.InputJsonValue;
  }) => {
    const created = await getDb().webhookDelivery.createManyAndReturn({ data, skipDuplicates: true });
    return created[0] ?? null;
  },
  updateDelivery: (
    id: string,
    data: { status: DeliveryStatus; detail: string; deploymentId: string | null },
  ) => getDb().webhookDelivery.update({ where: { id }, data }),
  findDelivery: (sourceId: string, id: string) =>
    getDb().webhookDelivery.findFirst({ where: { id, sourceId } }),
  listDeliveries: (sourceId: string, limit: number) =>
    getDb().webhookDelivery.findMany({
      where: { sourceId },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    }),
};
