import { z } from 'zod';
import {
  createdInvitation,
  createInvitationInput,
  createTeamInvitationInput,
  invitationId,
  invitationView,
  revokedInvitation,
} from '@/server/domains/invitations/invitation.schema';
import {
  createInvitation,
  createPlatformInvitation,
  listInvitations,
  revokeInvitation,
} from '@/server/domains/invitations/invitation.service';
import { createTRPCRouter, platformAdminProcedure, teamProcedure } from '../trpc';

/**
 * Invitations to sign up with a local account: platform admins invite anyone (into any team or none);
 * team admins and owners invite into their team.
 */
export const invitationRouter = createTRPCRouter({
  create: platformAdminProcedure
    .input(createInvitationInput)
    .output(createdInvitation)
    .mutation(({ ctx, input }) => createPlatformInvitation(ctx.caller, input)),
  list: platformAdminProcedure.output(z.array(invitationView)).query(() => listInvitations()),
  revoke: platformAdminProcedure
    .input(invitationId)
    .output(revokedInvitation)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.caller, input)),
  createForTeam: teamProcedure('team:members')
    .input(createTeamInvitationInput)
    .output(createdInvitation)
    .mutation(({ ctx, input }) =>
      createInvitation(ctx.caller, { ...input, team: ctx.team, callerRole: ctx.role }),
    ),
  listForTeam: teamProcedure('team:members')
    .output(z.array(invitationView))
    .query(({ ctx }) => listInvitations(ctx.team)),
  revokeForTeam: teamProcedure('team:members')
    .input(invitationId)
    .output(revokedInvitation)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.caller, { id: input.id, team: ctx.team })),
});
