import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { env } from '@/env';
import { AppError } from '@/server/errors';
import { assertNotLocked, beginAttempt, limitRequest, recordFailure } from '@/server/security/rate-limit';
import { inTransaction } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { invitationToken } from '../invitations/invitation.schema';
import { acceptInvitation, usableInvitation } from '../invitations/invitation.service';
import { signUpAllowed, signUpRefusal } from '../invitations/invitation-policy';
import { userRepo } from './user.repo';
import { registerUser } from './user.service';

export const localCredentials = z.object({
  email: z.email({ message: 'Enter a valid email address.' }).transform((value) => value.toLowerCase()),
  password: z.string().min(10, { message: 'Passwords have at least 10 characters.' }).max(200),
});

export const localSignUp = localCredentials.extend({
  name: z.string().trim().max(100).optional(),
  invite: invitationToken.optional(),
});

/** Who asks, for per-address rate limits. */
export type Requester = { clientAddress: string };

const INVALID = 'Email or password is incorrect.';

export async function signUpLocal(input: z.output<typeof localSignUp>, requester: Requester) {
  await limitRequest('signup-address', requester.clientAddress);
  const invitation = input.invite ? await usableInvitation(input.invite, input.email) : null;
  if (await userRepo.findByEmail(input.email)) {
    throw new AppError('CONFLICT', 'An account with this email already exists; sign in instead.');
  }
  const passwordHash = await hash(input.password);
  return inTransaction(async (tx) => {
    // Under the registration lock: of two first sign-ups at once, only one finds no users.
    await userRepo.lockRegistrations(tx);
    const existingUsers = await userRepo.count(tx);
    const allowed = signUpAllowed({
      policy: env.RISE_LOCAL_SIGNUP,
      existingUsers,
      invited: invitation !== null,
      email: input.email,
      adminEmails: env.RISE_ADMIN_EMAILS,
    });
    if (!allowed) throw new AppError('FORBIDDEN', signUpRefusal({ existingUsers }));
    const user = await registerUser({ email: input.email, name: input.name || null, passwordHash }, tx);
    const caller = { kind: 'user' as const, user, via: 'session' as const };
    await recordAudit(
      caller,
      { action: 'user.signup', targetType: 'user', targetId: user.id, targetName: user.username },
      tx,
    );
    if (invitation) await acceptInvitation(invitation, user, tx);
    return user;
  });
}

/**
 * Checks a password. Wrong passwords count against the account (RISE_SIGNIN_MAX_FAILURES in a row
 * lock it for RISE_SIGNIN_LOCKOUT_SECONDS, refusing even the right password) and against the
 * requester's address (more of them, across accounts: password spraying). Unknown accounts count
 * the same way, so a lockout reveals nothing about which accounts exist.
 */
export async function signInLocal(input: z.output<typeof localCredentials>, requester: Requester) {
  await assertNotLocked('signin-address', requester.clientAddress);
  const attempt = await beginAttempt('signin-account', input.email);
  const user = await userRepo.findByEmail(input.email);
  if (!user?.passwordHash || !(await verify(user.passwordHash, input.password))) {
    await attempt.failed();
    await recordFailure('signin-address', requester.clientAddress);
    throw new AppError('UNAUTHORIZED', INVALID);
  }
  await attempt.succeeded();
  return user;
}
