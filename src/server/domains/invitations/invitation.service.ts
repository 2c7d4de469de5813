import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { env } from '@/env';
import type { Tx } from '@/server/db';
import type { CallerUser, UserCaller } from '@/server/domains/access/caller';
import { type Role, roleAtLeast } from '@/server/domains/access/permissions';
import { AppError, forbidden, notFound } from '@/server/errors';
import { inTransaction } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { teamRepo } from '../teams/team.repo';
import { userRepo } from '../users/user.repo';
import { type InvitationWithTeam, invitationRepo } from './invitation.repo';
import type { createdInvitation, invitationView } from './invitation.schema';
import { hashInvitationToken, INVITATION_TTL_DAYS, invitationLink } from './invitation-policy';

type Team = { id: string; name: string };

function toView(invitation: InvitationWithTeam): z.infer<typeof invitationView> {
  return {
    id: invitation.id,
    email: invitation.email,
    team: invitation.team?.name ?? null,
    role: invitation.role,
    invitedBy: invitation.createdBy.username,
    createdAt: invitation.createdAt,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * Creates an invitation for `email`, into `team` with `role` when given. `callerRole` is the caller's
 * role in that team (platform admins count as owners): only owners may invite owners.
 */
export async function createInvitation(
  caller: UserCaller,
  input: { email: string; team?: Team | null; role?: Role | null; callerRole?: Role },
): Promise<z.infer<typeof createdInvitation>> {
  const role = input.team ? (input.role ?? 'developer') : null;
  if (!input.team && input.role)
    throw new AppError('BAD_REQUEST', 'A role needs a team: pass the team to invite into, or no role.');
  if (role === 'owner' && !roleAtLeast(input.callerRole ?? 'owner', 'owner'))
    throw forbidden(`Only an owner of team '${input.team?.name}' can invite an owner.`);
  if (await userRepo.findByEmail(input.email)) {
    throw new AppError(
      'CONFLICT',
      `${input.email} already has an account${input.team ? `; add them to team '${input.team.name}' as a member instead` : ''}.`,
    );
  }
  const token = randomBytes(32).toString('base64url');
  const invitation = await inTransaction(async (tx) => {
    const created = await invitationRepo.create({
      email: input.email,
      tokenHash: hashInvitationToken(token),
      teamId: input.team?.id ?? null,
      role,
      createdById: caller.user.id,
      expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 3600 * 1000),
    });
    await recordAudit(
      caller,
      {
        action: 'invitation.create',
        targetType: 'invitation',
        targetId: created.id,
        targetName: created.email,
        teamId: input.team?.id ?? null,
        details: { team: input.team?.name ?? null, role },
      },
      tx,
    );
    return created;
  });
  return { ...toView(invitation), link: invitationLink(env.RISE_URL, token) };
}

/** A platform admin's invitation: into the team named `team` (any team), or into none. */
export async function createPlatformInvitation(
  caller: UserCaller,
  input: { email: string; team?: string; role?: Role },
) {
  const team = input.team ? await teamRepo.findByName(input.team) : null;
  if (input.team && !team) throw notFound(`Team '${input.team}' not found.`);
  return createInvitation(caller, { email: input.email, team, role: input.role });
}

/** Pending invitations (not accepted, not expired): all of them, or one team's. */
export async function listInvitations(team?: Team) {
  return (await invitationRepo.listPending(team?.id)).map(toView);
}

/** Revokes one invitation; with `team`, only one of that team's (others answer NOT_FOUND). */
export async function revokeInvitation(caller: UserCaller, input: { id: string; team?: Team }) {
  const invitation = await invitationRepo.findById(input.id);
  if (!invitation || (input.team && invitation.teamId !== input.team.id))
    throw notFound(`No invitation ${input.id}${input.team ? ` in team '${input.team.name}'` : ''}.`);
  await inTransaction(async (tx) => {
    await invitationRepo.delete(invitation.id, tx);
    await recordAudit(
      caller,
      {
        action: 'invitation.revoke',
        targetType: 'invitation',
        targetId: invitation.id,
        targetName: invitation.email,
        teamId: invitation.teamId,
        details: { team: invitation.team?.name ?? null },
      },
      tx,
    );
  });
  return { id: invitation.id, revoked: true as const };
}

const UNUSABLE = 'This invitation link is invalid, expired or already used; ask for a new one.';

/** What the sign-in page shows for an invitation link; null when it cannot be used. */
export async function describeInvitation(token: string) {
  const invitation = await invitationRepo.findPendingByTokenHash(hashInvitationToken(token));
  return invitation
    ? { email: invitation.email, team: invitation.team?.name ?? null, role: invitation.role }
    : null;
}

/** The pending invitation behind `token` for `email`; throws when there is none. */
export async function usableInvitation(token: string, email: string) {
  const invitation = await invitationRepo.findPendingByTokenHash(hashInvitationToken(token));
  if (!invitation) throw new AppError('BAD_REQUEST', UNUSABLE);
  if (invitation.email !== email.toLowerCase())
    throw new AppError(
      'BAD_REQUEST',
      `This invitation is for ${invitation.email}; sign up with that address.`,
    );
  return invitation;
}

/** Marks the invitation used by `user` and gives them its team membership, in the sign-up's transaction. */
export async function acceptInvitation(invitation: InvitationWithTeam, user: CallerUser, tx: Tx) {
  if (!(await invitationRepo.accept(invitation.id, tx))) throw new AppError('BAD_REQUEST', UNUSABLE);
  if (invitation.teamId && invitation.role)
    await teamRepo.upsertMember(invitation.teamId, user.id, invitation.role, tx);
  await recordAudit(
    { kind: 'user', user, via: 'session' },
    {
      action: 'invitation.accept',
      targetType: 'invitation',
      targetId: invitation.id,
      targetName: invitation.email,
      teamId: invitation.teamId,
      details: { team: invitation.team?.name ?? null, role: invitation.role },
    },
    tx,
  );
}
