import { getDb, type Tx } from '@/server/db';

export const tokenRepo = {
  create: (
    data: { userId: string; name: string; prefix: string; tokenHash: string; expiresAt: Date | null },
    tx?: Tx,
  ) => (tx ?? getDb()).apiToken.create({ data }),
  findActiveByHash: (tokenHash: string) =>
    getDb().apiToken.findFirst({
      where: { tokenHash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      include: {
        user: { select: { id: true, email: true, username: true, name: true, isPlatformAdmin: true } },
      },
    }),
  listForUser: (userId: string) =>
    getDb().apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } }),
  findForUser: (id: string, userId: string) => getDb().apiToken.findFirst({ where: { id, userId } }),
  revoke: (id: string, tx: Tx) => tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } }),
  touch: (id: string, lastUsedAt: Date) => getDb().apiToken.update({ where: { id }, data: { lastUsedAt } }),
};
