import { getDb } from '@/server/db';

export type LinkedAccount = {
  userId: string;
  type: string;
  provider: string;
  providerAccountId: string;
  refreshToken?: string | null;
  accessToken?: string | null;
  expiresAt?: number | null;
  tokenType?: string | null;
  scope?: string | null;
  idToken?: string | null;
  sessionState?: string | null;
};

export const accountRepo = {
  findUserByAccount: async (provider: string, providerAccountId: string) =>
    (
      await getDb().account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        include: { user: true },
      })
    )?.user ?? null,
  link: (account: LinkedAccount) => getDb().account.create({ data: account }),
  unlink: (provider: string, providerAccountId: string) =>
    getDb().account.deleteMany({ where: { provider, providerAccountId } }),
};
