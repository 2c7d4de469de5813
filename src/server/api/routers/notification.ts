import { z } from 'zod';
import {
  channelId,
  channelTypeView,
  channelView,
  createChannelInput,
  deliveriesInput,
  deliveryView,
  updateChannelInput,
} from '@/server/domains/notifications/notification-channel.schema';
import {
  type ChannelOwner,
  createChannel,
  deleteChannel,
  listChannels,
  listChannelTypes,
  listDeliveries,
  testChannel,
  updateChannel,
} from '@/server/domains/notifications/notification-channel.service';
import { outboundGuard } from '@/server/security/outbound-guard';
import { authenticatedProcedure, createTRPCRouter, projectProcedure, teamProcedure } from '../trpc';

const deleted = z.object({ deleted: z.literal(true) });

const projectOwner = (project: { id: string; name: string; ownerTeamId: string | null }): ChannelOwner => ({
  kind: 'project',
  project,
});
const teamOwner = (team: { id: string; name: string }): ChannelOwner => ({ kind: 'team', team });

/** A project's channels need `project:update` (admin), a team's `team:update` (admin). */
export const notificationRouter = createTRPCRouter({
  /** The kinds of channel and their settings fields (the dashboard's forms are built from these). */
  channelTypes: authenticatedProcedure.output(z.array(channelTypeView)).query(() => listChannelTypes()),

  projectChannels: projectProcedure('project:update')
    .output(z.array(channelView))
    .query(({ ctx }) => listChannels(projectOwner(ctx.project))),
  createProjectChannel: projectProcedure('project:update')
    .input(createChannelInput)
    .output(channelView)
    .mutation(({ ctx, input }) => createChannel(ctx.caller, projectOwner(ctx.project), input)),
  updateProjectChannel: projectProcedure('project:update')
    .input(updateChannelInput)
    .output(channelView)
    .mutation(({ ctx, input }) => updateChannel(ctx.caller, projectOwner(ctx.project), input)),
  deleteProjectChannel: projectProcedure('project:update')
    .input(channelId)
    .output(deleted)
    .mutation(async ({ ctx, input }) => {
      await deleteChannel(ctx.caller, projectOwner(ctx.project), input.id);
      return { deleted: true as const };
    }),
  testProjectChannel: projectProcedure('project:update')
    .input(channelId)
    .output(deliveryView)
    .mutation(({ ctx, input }) => testChannel(projectOwner(ctx.project), input.id, outboundGuard())),
  projectDeliveries: projectProcedure('project:update')
    .input(deliveriesInput)
    .output(z.array(deliveryView))
    .query(({ ctx, input }) => listDeliveries(projectOwner(ctx.project), input)),

  teamChannels: teamProcedure('team:update')
    .output(z.array(channelView))
    .query(({ ctx }) => listChannels(teamOwner(ctx.team))),
  createTeamChannel: teamProcedure('team:update')
    .input(createChannelInput)
    .output(channelView)
    .mutation(({ ctx, input }) => createChannel(ctx.caller, teamOwner(ctx.team), input)),
  updateTeamChannel: teamProcedure('team:update')
    .input(updateChannelInput)
    .output(channelView)
    .mutation(({ ctx, input }) => updateChannel(ctx.caller, teamOwner(ctx.team), input)),
  deleteTeamChannel: teamProcedure('team:update')
    .input(channelId)
    .output(deleted)
    .mutation(async ({ ctx, input }) => {
      await deleteChannel(ctx.caller, teamOwner(ctx.team), input.id);
      return { deleted: true as const };
    }),
  testTeamChannel: teamProcedure('team:update')
    .input(channelId)
    .output(deliveryView)
    .mutation(({ ctx, input }) => testChannel(teamOwner(ctx.team), input.id, outboundGuard())),
  teamDeliveries: teamProcedure('team:update')
    .input(deliveriesInput)
    .output(z.array(deliveryView))
    .query(({ ctx, input }) => listDeliveries(teamOwner(ctx.team), input)),
});
