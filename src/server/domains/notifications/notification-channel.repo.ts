import { getDb, type Tx } from '@/server/db';

export type ChannelOwnerKey = { teamId: string } | { projectId: string };

export type ChannelRow = {
  id: string;
  teamId: string | null;
  projectId: string | null;
  name: string;
  type: string;
  settings: unknown;
  secrets: string;
  kinds: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};

export type DeliveryInput = {
  channelId: string;
  eventId: string | null;
  kind: string;
  title: string;
  attempt: number;
  status: 'sent' | 'failed';
  responseCode: number | null;
  error: string | null;
  durationMs: number;
};

export const notificationChannelRepo = {
  create: (
    data: ChannelOwnerKey & {
      name: string;
      type: string;
      settings: object;
      secrets: string;
      kinds: string[];
      enabled: boolean;
    },
    tx: Tx,
  ) => tx.notificationChannel.create({ data }),
  update: (
    id: string,
    data: Partial<{ name: string; settings: object; secrets: string; kinds: string[]; enabled: boolean }>,
    tx: Tx,
  ) => tx.notificationChannel.update({ where: { id }, data }),
  delete: (id: string, tx: Tx) => tx.notificationChannel.delete({ where: { id } }),
  findOwned: (owner: ChannelOwnerKey, id: string): Promise<ChannelRow | null> =>
    getDb().notificationChannel.findFirst({ where: { id, ...owner } }),
  findById: (id: string): Promise<ChannelRow | null> =>
    getDb().notificationChannel.findUnique({ where: { id } }),
  list: (owner: ChannelOwnerKey): Promise<ChannelRow[]> =>
    getDb().notificationChannel.findMany({ where: owner, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  /**
   * The enabled channels subscribed to `kind` that hear about `projectId`'s events: its own and its
   * team's. A platform event (no project) reaches every team's channels subscribed to it.
   */
  subscribed: (kind: string, projectId: string | null, ownerTeamId: string | null, tx: Tx) =>
    tx.notificationChannel.findMany({
      where: {
        enabled: true,
        kinds: { has: kind },
        OR: projectId
          ? [{ projectId }, ...(ownerTeamId ? [{ teamId: ownerTeamId }] : [])]
          : [{ teamId: { not: null } }],
      },
      select: { id: true },
    }),
  lastDeliveries: (channelIds: string[]) =>
    getDb().notificationDelivery.findMany({
      where: { channelId: { in: channelIds } },
      orderBy: { createdAt: 'desc' },
      distinct: ['channelId'],
    }),
  recordDelivery: (data: DeliveryInput) => getDb().notificationDelivery.create({ data }),
  listDeliveries: (channelId: string, limit: number) =>
    getDb().notificationDelivery.findMany({
      where: { channelId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    }),
};
