import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { AppError } from '@/server/errors';
import { recordAudit } from '../audit/audit.service';
import { userRepo } from './user.repo';
import { registerUser } from './user.service';

export const localCredentials = z.object({
  email: z.email({ message: 'Enter a valid email address.' }).transform((value) => value.toLowerCase()),
  password: z.string().min(10, { message: 'Passwords have at least 10 characters.' }).max(200),
});

export const localSignUp = localCredentials.extend({ name: z.string().trim().max(100).optional() });

const INVALID = 'Email or password is incorrect.';

export async function signUpLocal(input: z.output<typeof localSignUp>) {
  if (await userRepo.findByEmail(input.email)) {
    throw new AppError('CONFLICT', 'An account with this email already exists; sign in instead.');
  }
  const user = await registerUser({
    email: input.email,
    name: input.name || null,
    passwordHash: await hash(input.password),
  });
  await recordAudit(
    { kind: 'user', user, via: 'session' },
    { action: 'user.signup', targetType: 'user', targetId: user.id, targetName: user.username },
  );
  return user;
}

export async function signInLocal(input: z.output<typeof localCredentials>) {
  const user = await userRepo.findByEmail(input.email);
  if (!user?.passwordHash || !(await verify(user.passwordHash, input.password))) {
    throw new AppError('UNAUTHORIZED', INVALID);
  }
  return user;
}
