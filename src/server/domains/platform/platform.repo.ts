import { getDb } from '@/server/db';

export const platformRepo = {
  /** Throws when the database cannot answer a query. */
  ping: async () => {
    await getDb().$queryRaw`SELECT 1`;
  },
  databaseVersion: async () => {
    const [row] = await getDb().$queryRaw<
      { version: string }[]
    >`SELECT current_setting('server_version') AS version`;
    return row?.version ?? 'unknown';
  },
  listUsers: () =>
    getDb().user.findMany({
      orderBy: { createdAt: 'asc' },
      take: 1000,
      select: {
        username: true,
        name: true,
        email: true,
        isPlatformAdmin: true,
        createdAt: true,
        _count: { select: { memberships: true, ownedProjects: true } },
      },
    }),
};
