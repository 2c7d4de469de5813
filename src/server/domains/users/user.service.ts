import { randomBytes } from 'node:crypto';
import { env } from '@/env';
import type { Tx } from '@/server/db';
import { inTransaction } from '@/server/transaction';
import { userRepo } from './user.repo';
import { usernameCandidate } from './username';

/**
 * Everyone in RISE_ADMIN_EMAILS becomes a platform admin; without that list, the first user does (with
 * it, an unlisted first user stays a user: finding a fresh installation first must not make one admin).
 */
async function shouldBePlatformAdmin(email: string, tx: Tx): Promise<boolean> {
  const admins = env.RISE_ADMIN_EMAILS.map((item) => item.toLowerCase());
  if (admins.includes(email.toLowerCase())) return true;
  return admins.length === 0 && (await userRepo.count(tx)) === 0;
}

async function uniqueUsername(preferred: string): Promise<string> {
  const base = usernameCandidate(preferred);
  if (!(await userRepo.usernameTaken(base))) return base;
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = `${base.slice(0, 34)}-${randomBytes(2).toString('hex')}`;
    if (!(await userRepo.usernameTaken(candidate))) return candidate;
  }
  throw new Error(`could not find a free username for ${preferred}`);
}

export async function registerUser(
  input: {
    email: string;
    preferredUsername?: string | null;
    name?: string | null;
    image?: string | null;
    emailVerified?: Date | null;
    passwordHash?: string | null;
  },
  tx?: Tx,
): Promise<Awaited<ReturnType<typeof userRepo.create>>> {
  if (!tx) return inTransaction((own) => registerUser(input, own));
  await userRepo.lockRegistrations(tx);
  const email = input.email.toLowerCase();
  return userRepo.create(
    {
      email,
      username: await uniqueUsername(input.preferredUsername || email),
      name: input.name ?? null,
      image: input.image ?? null,
      emailVerified: input.emailVerified ?? null,
      passwordHash: input.passwordHash ?? null,
      isPlatformAdmin: await shouldBePlatformAdmin(email, tx),
    },
    tx,
  );
}

/** How many accounts exist (the first one becomes the admin and needs no invitation). */
export const countUsers = () => userRepo.count();
