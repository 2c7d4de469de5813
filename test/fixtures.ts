import { randomBytes } from 'node:crypto';
import { createCaller } from '@/server/api/root';
import type { Context } from '@/server/api/trpc';
import { getDb } from '@/server/db';
import type { Caller, UserCaller } from '@/server/domains/access/caller';
import type { Role } from '@/server/domains/access/permissions';
import { encryptSecret } from '@/server/security/secret-box';

// 48 random bits: hundreds of names per test file must never collide.
export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

export async function createUser(options: { username?: string; name?: string; admin?: boolean } = {}) {
  const username = options.username ?? uniqueName('user');
  const user = await getDb().user.create({
    data: {
      username,
      email: `${username}@example.test`,
      name: options.name ?? username,
      isPlatformAdmin: options.admin ?? false,
    },
    select: { id: true, email: true, username: true, name: true, isPlatformAdmin: true },
  });
  return user;
}

export type TestUser = Awaited<ReturnType<typeof createUser>>;

export const userCaller = (user: TestUser): UserCaller => ({ kind: 'user', user, via: 'token' });

/** A tRPC caller acting as `caller`, through the same router, middlewares and permissions as HTTP. */
export const apiAs = (caller: Caller | null) => {
  const ctx: Context = { caller, authError: null, clientAddress: '127.0.0.1' };
  return createCaller(ctx);
};

/** A team with one member per role (owner, admin, developer, viewer). */
export async function createTeamWithRoles(name = uniqueName('team')) {
  const members = {} as Record<Role, TestUser>;
  for (const role of ['owner', 'admin', 'developer', 'viewer'] as const) {
    members[role] = await createUser({ username: uniqueName(role) });
  }
  const team = await getDb().team.create({
    data: {
      name,
      members: {
        create: Object.entries(members).map(([role, user]) => ({ userId: user.id, role: role as Role })),
      },
    },
  });
  return { team, members };
}

/** The error `promise` rejects with, which must be an instance of `type`. */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof type))
    throw new Error(`expected a ${type.name} rejection, got ${String(outcome)}`);
  return outcome;
}

/** A database row marked running, without a container: for tests of the API and of backup bookkeeping. */
export function insertRunningDatabase(project: { id: string; name: string }, name = 'main') {
  return getDb().managedDatabase.create({
    data: {
      projectId: project.id,
      name,
      engine: 'postgres',
      image: 'postgres:17',
      status: 'running',
      username: 'app',
      password: encryptSecret('pw'),
      databaseName: 'app',
      host: `rise-db-${project.name}-${name}`,
      volumeName: `rise-db-${project.name}-${name}-data`,
      envPrefix: 'DATABASE',
    },
  });
}
