import type { TeamRole } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';

const memberInclude = {
  members: {
    include: { user: { select: { id: true, username: true, email: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  },
} as const;

export const teamRepo = {
  findByName: (name: string) => getDb().team.findUnique({ where: { name } }),
  findByNameWithMembers: (name: string) =>
    getDb().team.findUnique({ where: { name }, include: memberInclude }),
  membership: (teamId: string, userId: string) =>
    getDb().teamMember.findUnique({ where: { teamId_userId: { teamId, userId } } }),
  membershipsOf: (userId: string) =>
    getDb().teamMember.findMany({ where: { userId }, include: { team: true } }),
  listAll: () => getDb().team.findMany({ orderBy: { name: 'asc' } }),
  listWithCounts: (teamIds?: string[]) =>
    getDb().team.findMany({
      where: teamIds ? { id: { in: teamIds } } : {},
      include: { _count: { select: { members: true, projects: true } } },
      orderBy: { name: 'asc' },
    }),
  create: (data: { name: string; displayName?: string | null; ownerId: string }, tx: Tx) =>
    tx.team.create({
      data: {
        name: data.name,
        displayName: data.displayName ?? null,
        members: { create: { userId: data.ownerId, role: 'owner' } },
      },
    }),
  update: (id: string, data: { displayName?: string | null }, tx: Tx) =>
    tx.team.update({ where: { id }, data }),
  delete: (id: string, tx: Tx) => tx.team.delete({ where: { id } }),
  projectCount: (teamId: string) => getDb().project.count({ where: { ownerTeamId: teamId } }),
  ownerCount: (teamId: string, tx?: Tx) =>
    (tx ?? getDb()).teamMember.count({ where: { teamId, role: 'owner' } }),
  upsertMember: (teamId: string, userId: string, role: TeamRole, tx: Tx) =>
    tx.teamMember.upsert({
      where: { teamId_userId: { teamId, userId } },
      create: { teamId, userId, role },
      update: { role },
    }),
  removeMember: (teamId: string, userId: string, tx: Tx) =>
    tx.teamMember.delete({ where: { teamId_userId: { teamId, userId } } }),
};

export type TeamWithMembers = NonNullable<Awaited<ReturnType<typeof teamRepo.findByNameWithMembers>>>;
