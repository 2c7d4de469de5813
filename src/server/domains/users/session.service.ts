import { randomBytes } from 'node:crypto';
import { sessionRepo } from './session.repo';

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Creates a browser session row of the kind NextAuth's database strategy reads. */
export async function createSession(userId: string) {
  const sessionToken = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  await sessionRepo.create({ sessionToken, userId, expires });
  return { sessionToken, expires };
}

/** The user signed in with this session token, if the session is still valid. */
export async function findSessionUser(sessionToken: string) {
  const session = await sessionRepo.findWithUser(sessionToken);
  if (!session || session.expires <= new Date()) return null;
  return session.user;
}
