'use client';

import type { z } from 'zod';
import type { createChannelInput } from '@/server/domains/notifications/notification-channel.schema';
import { useTRPC, useTRPCClient } from '@/trpc/react';

/** Whose channels a panel shows: a project's or a team's. */
export type ChannelOwnerRef = { project: string } | { team: string };

type NewChannel = z.input<typeof createChannelInput>;

/** The notification procedures of `owner` (project or team), with its name already in their input. */
export function useChannelApi(owner: ChannelOwnerRef) {
  const n = useTRPC().notification;
  const client = useTRPCClient().notification;
  if ('project' in owner) {
    const { project } = owner;
    return {
      list: n.projectChannels.queryOptions({ project }),
      deliveries: (id: string) => n.projectDeliveries.queryOptions({ project, id, limit: 50 }),
      create: (channel: NewChannel) => client.createProjectChannel.mutate({ project, ...channel }),
      remove: (id: string) => client.deleteProjectChannel.mutate({ project, id }),
      test: (id: string) => client.testProjectChannel.mutate({ project, id }),
    };
  }
  const { team } = owner;
  return {
    list: n.teamChannels.queryOptions({ team }),
    deliveries: (id: string) => n.teamDeliveries.queryOptions({ team, id, limit: 50 }),
    create: (channel: NewChannel) => client.createTeamChannel.mutate({ team, ...channel }),
    remove: (id: string) => client.deleteTeamChannel.mutate({ team, id }),
    test: (id: string) => client.testTeamChannel.mutate({ team, id }),
  };
}
