import type { TeamRole } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';

const viewInclude = {
  team: { select: { name: true } },
  createdBy: { select: { username: true } },
} as const;

const pending = () => ({ acceptedAt: null, expiresAt: { gt: new Date() } });

export const invitationRepo = {
  create: (data: {
    email: string;
    tokenHash: string;
    teamId: string | null;
    role: TeamRole | null;
    createdById: string;
    expiresAt: Date;
  }) => getDb().invitation.create({ data, include: viewInclude }),
  listPending: (teamId?: string) =>
    getDb().invitation.findMany({
      where: { ...pending(), ...(teamId ? { teamId } : {}) },
      include: viewInclude,
      orderBy: { createdAt: 'desc' },
      take: 500,
    }),
  findById: (id: string) => getDb().invitation.findUnique({ where: { id }, include: viewInclude }),
  findPendingByTokenHash: (tokenHash: string) =>
    getDb().invitation.findFirst({ where: { tokenHash, ...pending() }, include: viewInclude }),
  delete: (id: string, tx: Tx) => tx.invitation.delete({ where: { id } }),
  /** Marks the invitation accepted only if it still is pending; returns whether it did. */
  accept: async (id: string, tx: Tx) =>
    (await tx.invitation.updateMany({ where: { id, ...pending() }, data: { acceptedAt: new Date() } }))
      .count === 1,
};

export type InvitationWithTeam = NonNullable<Awaited<ReturnType<typeof invitationRepo.findById>>>;
