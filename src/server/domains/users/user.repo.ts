import { getDb, type Tx } from '@/server/db';

const callerFields = { id: true, email: true, username: true, name: true, isPlatformAdmin: true } as const;

export const userRepo = {
  findById: (id: string) => getDb().user.findUnique({ where: { id }, select: callerFields }),
  findByUsername: (username: string) =>
    getDb().user.findUnique({ where: { username }, select: callerFields }),
  findFullById: (id: string) => getDb().user.findUnique({ where: { id } }),
  findByEmail: (email: string) => getDb().user.findUnique({ where: { email } }),
  findByUsernameOrEmail: (handle: string) =>
    getDb().user.findFirst({
      where: { OR: [{ username: handle }, { email: handle.toLowerCase() }] },
      select: callerFields,
    }),
  usernameTaken: async (username: string) => (await getDb().user.count({ where: { username } })) > 0,
  count: (tx?: Tx) => (tx ?? getDb()).user.count(),
  /** Serialises registrations until `tx` ends, so two first sign-ups cannot both become the admin. */
  lockRegistrations: async (tx: Tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('rise.user-registration'))`;
  },
  listUsernames: () => getDb().user.findMany({ select: { username: true }, take: 1000 }),
  create: (
    data: {
      email: string;
      username: string;
      name?: string | null;
      image?: string | null;
      emailVerified?: Date | null;
      passwordHash?: string | null;
      isPlatformAdmin: boolean;
    },
    tx?: Tx,
  ) => (tx ?? getDb()).user.create({ data }),
  update: (
    id: string,
    data: { name?: string | null; image?: string | null; email?: string; emailVerified?: Date | null },
  ) => getDb().user.update({ where: { id }, data }),
  setPlatformAdmin: (id: string, isPlatformAdmin: boolean) =>
    getDb().user.update({ where: { id }, data: { isPlatformAdmin } }),
};

export type UserRow = NonNullable<Awaited<ReturnType<typeof userRepo.findById>>>;
