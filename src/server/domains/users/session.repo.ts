import { getDb } from '@/server/db';

const userFields = { id: true, email: true, username: true, name: true, isPlatformAdmin: true } as const;

export const sessionRepo = {
  create: (data: { sessionToken: string; userId: string; expires: Date }) => getDb().session.create({ data }),
  findWithUser: (sessionToken: string) =>
    getDb().session.findUnique({ where: { sessionToken }, include: { user: { select: userFields } } }),
  findWithFullUser: (sessionToken: string) =>
    getDb().session.findUnique({ where: { sessionToken }, include: { user: true } }),
  update: (sessionToken: string, data: { expires?: Date }) =>
    getDb().session.update({ where: { sessionToken }, data }),
  deleteExpired: (before: Date) => getDb().session.deleteMany({ where: { expires: { lt: before } } }),
  delete: (sessionToken: string) => getDb().session.deleteMany({ where: { sessionToken } }),
};
