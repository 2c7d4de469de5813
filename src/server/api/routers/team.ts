import { z } from 'zod';
import { teamDetail, teamName, teamRole, teamSummary, userHandle } from '@/server/domains/teams/team.schema';
import {
  createTeam,
  deleteTeam,
  getTeam,
  listTeams,
  removeMember,
  setMemberRole,
  updateTeam,
} from '@/server/domains/teams/team.service';
import { createTRPCRouter, teamProcedure, userProcedure } from '../trpc';

const displayName = z.string().trim().min(1).max(100).nullable().optional();

export const teamRouter = createTRPCRouter({
  create: userProcedure
    .input(z.object({ name: teamName, displayName }))
    .output(teamDetail)
    .mutation(({ ctx, input }) => createTeam(ctx.caller, input)),
  list: userProcedure
    .input(z.object({ all: z.boolean().default(false) }).default({ all: false }))
    .output(z.array(teamSummary))
    .query(({ ctx, input }) => listTeams(ctx.caller, input)),
  get: teamProcedure('team:read')
    .output(teamDetail)
    .query(({ ctx }) => getTeam(ctx.team.name, ctx.role)),
  update: teamProcedure('team:update')
    .input(z.object({ displayName }))
    .output(teamDetail)
    .mutation(({ ctx, input }) =>
      updateTeam(ctx.caller, ctx.team, ctx.role, { displayName: input.displayName }),
    ),
  delete: teamProcedure('team:delete')
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx }) => deleteTeam(ctx.caller, ctx.team)),
  addMember: teamProcedure('team:members')
    .input(z.object({ user: userHandle, role: teamRole.default('developer') }))
    .output(teamDetail)
    .mutation(({ ctx, input }) => setMemberRole(ctx.caller, ctx.team, ctx.role, input, 'team.member.add')),
  removeMember: teamProcedure('team:members')
    .input(z.object({ user: userHandle }))
    .output(teamDetail)
    .mutation(({ ctx, input }) => removeMember(ctx.caller, ctx.team, ctx.role, input)),
  setRole: teamProcedure('team:members')
    .input(z.object({ user: userHandle, role: teamRole }))
    .output(teamDetail)
    .mutation(({ ctx, input }) => setMemberRole(ctx.caller, ctx.team, ctx.role, input, 'team.member.role')),
});
