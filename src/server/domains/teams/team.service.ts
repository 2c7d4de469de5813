import type { z } from 'zod';
import type { Caller, UserCaller } from '@/server/domains/access/caller';
import { type Role, roleAtLeast } from '@/server/domains/access/permissions';
import { AppError, conflict, forbidden } from '@/server/errors';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { closestMatch, didYouMean } from '../suggest';
import { userRepo } from '../users/user.repo';
import { type TeamWithMembers, teamRepo } from './team.repo';
import type { teamDetail, teamSummary } from './team.schema';

type Team = { id: string; name: string; displayName: string | null; createdAt: Date };

export async function createTeam(caller: UserCaller, input: { name: string; displayName?: string | null }) {
  try {
    const team = await inTransaction(async (tx) => {
      const created = await teamRepo.create({ ...input, ownerId: caller.user.id }, tx);
      await recordAudit(
        caller,
        {
          action: 'team.create',
          targetType: 'team',
          targetId: created.id,
          targetName: created.name,
          teamId: created.id,
        },
        tx,
      );
      return created;
    });
    return getTeam(team.name, 'owner');
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`Team '${input.name}' already exists; choose another name.`);
    throw error;
  }
}

export async function listTeams(caller: UserCaller, options: { all?: boolean }) {
  const memberships = await teamRepo.membershipsOf(caller.user.id);
  const roleByTeam = new Map(memberships.map((m) => [m.teamId, m.role]));
  const everything = options.all && caller.user.isPlatformAdmin;
  const teams = await teamRepo.listWithCounts(everything ? undefined : memberships.map((m) => m.teamId));
  return teams.map(
    (team): z.infer<typeof teamSummary> => ({
      name: team.name,
      displayName: team.displayName,
      role: roleByTeam.get(team.id) ?? 'owner',
      memberCount: team._count.members,
      projectCount: team._count.projects,
      createdAt: team.createdAt,
    }),
  );
}

function toDetail(team: TeamWithMembers, role: Role): z.infer<typeof teamDetail> {
  return {
    name: team.name,
    displayName: team.displayName,
    role,
    createdAt: team.createdAt,
    members: team.members.map((member) => ({
      username: member.user.username,
      email: member.user.email,
      name: member.user.name,
      role: member.role,
      joinedAt: member.createdAt,
    })),
  };
}

export async function getTeam(name: string, role: Role) {
  const team = await teamRepo.findByNameWithMembers(name);
  if (!team) throw new AppError('NOT_FOUND', `Team '${name}' not found.`);
  return toDetail(team, role);
}

export async function updateTeam(
  caller: Caller,
  team: Team,
  role: Role,
  input: { displayName?: string | null },
) {
  await inTransaction(async (tx) => {
    await teamRepo.update(team.id, input, tx);
    await recordAudit(
      caller,
      {
        action: 'team.update',
        targetType: 'team',
        targetId: team.id,
        targetName: team.name,
        teamId: team.id,
      },
      tx,
    );
  });
  return getTeam(team.name, role);
}

export async function deleteTeam(caller: Caller, team: Team) {
  const projects = await teamRepo.projectCount(team.id);
  if (projects > 0) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Team '${team.name}' still owns ${projects} project${projects === 1 ? '' : 's'}; delete or transfer them first.`,
    );
  }
  await inTransaction(async (tx) => {
    await teamRepo.delete(team.id, tx);
    await recordAudit(
      caller,
      {
        action: 'team.delete',
        targetType: 'team',
        targetId: team.id,
        targetName: team.name,
        teamId: team.id,
      },
      tx,
    );
  });
  return { name: team.name, deleted: true as const };
}

async function findUser(handle: string) {
  const user = await userRepo.findByUsernameOrEmail(handle);
  if (!user) {
    const usernames = (await userRepo.listUsernames()).map((u) => u.username);
    throw new AppError(
      'NOT_FOUND',
      `User '${handle}' not found. They must sign in to Rise once before they can be added.${didYouMean(closestMatch(handle, usernames))}`,
    );
  }
  return user;
}

/** Only owners may create or remove owners, and a team always keeps at least one owner. */
async function assertRoleChangeAllowed(team: Team, callerRole: Role, from: Role | null, to: Role | null) {
  if ((from === 'owner' || to === 'owner') && !roleAtLeast(callerRole, 'owner')) {
    throw forbidden(`Only an owner of team '${team.name}' can grant or remove the owner role.`);
  }
  if (from === 'owner' && to !== 'owner' && (await teamRepo.ownerCount(team.id)) <= 1) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Team '${team.name}' must keep at least one owner; make someone else owner first.`,
    );
  }
}

export async function setMemberRole(
  caller: Caller,
  team: Team,
  callerRole: Role,
  input: { user: string; role: Role },
  action: 'team.member.add' | 'team.member.role',
) {
  const user = await findUser(input.user);
  const current = await teamRepo.membership(team.id, user.id);
  if (action === 'team.member.role' && !current) {
    throw new AppError('NOT_FOUND', `User '${user.username}' is not a member of team '${team.name}'.`);
  }
  await assertRoleChangeAllowed(team, callerRole, current?.role ?? null, input.role);
  await inTransaction(async (tx) => {
    await teamRepo.upsertMember(team.id, user.id, input.role, tx);
    await recordAudit(
      caller,
      {
        action,
        targetType: 'user',
        targetId: user.id,
        targetName: user.username,
        teamId: team.id,
        details: { team: team.name, role: input.role, previousRole: current?.role ?? null },
      },
      tx,
    );
  });
  return getTeam(team.name, callerRole);
}

export async function removeMember(caller: Caller, team: Team, callerRole: Role, input: { user: string }) {
  const user = await findUser(input.user);
  const current = await teamRepo.membership(team.id, user.id);
  if (!current)
    throw new AppError('NOT_FOUND', `User '${user.username}' is not a member of team '${team.name}'.`);
  await assertRoleChangeAllowed(team, callerRole, current.role, null);
  await inTransaction(async (tx) => {
    await teamRepo.removeMember(team.id, user.id, tx);
    await recordAudit(
      caller,
      {
        action: 'team.member.remove',
        targetType: 'user',
        targetId: user.id,
        targetName: user.username,
        teamId: team.id,
        details: { team: team.name, previousRole: current.role },
      },
      tx,
    );
  });
  return getTeam(team.name, callerRole);
}
