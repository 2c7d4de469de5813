import { getDb, Prisma } from '@/server/db';

const userFields = { id: true, email: true, username: true, name: true, isPlatformAdmin: true } as const;

export const proxyAuthCodeRepo = {
  create: (data: {
    codeHash: string;
    userId: string;
    projectId: string;
    host: string;
    returnPath: string;
    expiresAt: Date;
  }) => getDb().proxyAuthCode.create({ data }),
  /** Deletes and returns the code; null when it does not exist (or another request took it first). */
  take: async (codeHash: string) => {
    try {
      return await getDb().proxyAuthCode.delete({ where: { codeHash } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return null;
      throw error;
    }
  },
  deleteExpired: (before: Date) => getDb().proxyAuthCode.deleteMany({ where: { expiresAt: { lt: before } } }),
  findUser: (id: string) => getDb().user.findUnique({ where: { id }, select: userFields }),
};
