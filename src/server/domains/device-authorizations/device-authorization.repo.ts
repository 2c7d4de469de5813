import type { DeviceAuthorizationStatus } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';

export const deviceAuthorizationRepo = {
  create: (data: {
    deviceCodeHash: string;
    userCode: string;
    clientName: string;
    intervalSec: number;
    expiresAt: Date;
  }) => getDb().deviceAuthorization.create({ data }),
  findByDeviceCodeHash: (deviceCodeHash: string) =>
    getDb().deviceAuthorization.findUnique({ where: { deviceCodeHash } }),
  findByUserCode: (userCode: string) => getDb().deviceAuthorization.findUnique({ where: { userCode } }),
  recordPoll: (id: string, data: { lastPolledAt: Date; intervalSec?: number }) =>
    getDb().deviceAuthorization.update({ where: { id }, data }),
  /** Moves one authorization between statuses only if it is still in `from`; returns whether it did. */
  transition: async (
    id: string,
    from: DeviceAuthorizationStatus,
    to: DeviceAuthorizationStatus,
    data: { userId?: string } = {},
    tx?: Tx,
  ) =>
    (
      await (tx ?? getDb()).deviceAuthorization.updateMany({
        where: { id, status: from, expiresAt: { gt: new Date() } },
        data: { status: to, ...data },
      })
    ).count === 1,
  deleteExpired: (before: Date) =>
    getDb().deviceAuthorization.deleteMany({ where: { expiresAt: { lt: before } } }),
};
