import type { Adapter, AdapterAccount, AdapterSession, AdapterUser } from 'next-auth/adapters';
import { accountRepo } from '@/server/domains/users/account.repo';
import { sessionRepo } from '@/server/domains/users/session.repo';
import { userRepo } from '@/server/domains/users/user.repo';
import { registerUser } from '@/server/domains/users/user.service';

type UserRow = {
  id: string;
  email: string;
  name: string | null;
  image: string | null;
  emailVerified: Date | null;
  username: string;
  isPlatformAdmin: boolean;
};

const toAdapterUser = (user: UserRow): AdapterUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  image: user.image,
  emailVerified: user.emailVerified,
  username: user.username,
  isPlatformAdmin: user.isPlatformAdmin,
});

/** NextAuth's storage for users, linked OIDC accounts and database sessions, over Rise's repositories. */
export function riseAdapter(): Adapter {
  return {
    async createUser(user) {
      const created = await registerUser({
        email: user.email,
        preferredUsername: (user as AdapterUser & { username?: string }).username ?? null,
        name: user.name,
        image: user.image,
        emailVerified: user.emailVerified,
      });
      return toAdapterUser(created);
    },
    async getUser(id) {
      const user = await userRepo.findFullById(id);
      return user ? toAdapterUser(user) : null;
    },
    async getUserByEmail(email) {
      const user = await userRepo.findByEmail(email);
      return user ? toAdapterUser(user) : null;
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const user = await accountRepo.findUserByAccount(provider, providerAccountId);
      return user ? toAdapterUser(user) : null;
    },
    async updateUser({ id, name, image, emailVerified }) {
      return toAdapterUser(await userRepo.update(id, { name, image, emailVerified }));
    },
    async linkAccount(account: AdapterAccount) {
      await accountRepo.link({
        userId: account.userId,
        type: account.type,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        refreshToken: account.refresh_token ?? null,
        accessToken: account.access_token ?? null,
        expiresAt: account.expires_at ?? null,
        tokenType: account.token_type ?? null,
        scope: account.scope ?? null,
        idToken: account.id_token ?? null,
        sessionState: typeof account.session_state === 'string' ? account.session_state : null,
      });
    },
    async unlinkAccount({ provider, providerAccountId }) {
      await accountRepo.unlink(provider, providerAccountId);
    },
    async createSession(session) {
      const created = await sessionRepo.create(session);
      return { sessionToken: created.sessionToken, userId: created.userId, expires: created.expires };
    },
    async getSessionAndUser(sessionToken) {
      const found = await sessionRepo.findWithFullUser(sessionToken);
      if (!found) return null;
      const session: AdapterSession = {
        sessionToken: found.sessionToken,
        userId: found.userId,
        expires: found.expires,
      };
      return { session, user: toAdapterUser(found.user) };
    },
    async updateSession({ sessionToken, expires }) {
      const updated = await sessionRepo.update(sessionToken, { expires });
      return { sessionToken: updated.sessionToken, userId: updated.userId, expires: updated.expires };
    },
    async deleteSession(sessionToken) {
      await sessionRepo.delete(sessionToken);
    },
  };
}
