'use client';

import { useTRPC } from '@/trpc/react';

/** Whose channels a panel shows: a project's or a team's. */
export type ChannelOwnerRef = { project: string } | { team: string };

/** The notification procedures of `owner` (project or team), with its name already in their input. */
export function useChannelApi(owner: ChannelOwnerRef) {
  const trpc = useTRPC();
  const n = trpc.notification;
  if ('project' in owner) {
    const { project } = owner;
    return {
      list: n.projectChannels.queryOptions({ project }),
      deliveries: (id: string) => n.projectDeliveries.queryOptions({ project, id, limit: 50 }),
      create: n.createProjectChannel.mutationOptions(),
      update: n.updateProjectChannel.mutationOptions(),
      remove: n.deleteProjectChannel.mutationOptions(),
      test: n.testProjectChannel.mutationOptions(),
      input: { project },
    } as const;
  }
  const { team } = owner;
  return {
    list: n.teamChannels.queryOptions({ team }),
    deliveries: (id: string) => n.teamDeliveries.queryOptions({ team, id, limit: 50 }),
    create: n.createTeamChannel.mutationOptions(),
    update: n.updateTeamChannel.mutationOptions(),
    remove: n.deleteTeamChannel.mutationOptions(),
    test: n.testTeamChannel.mutationOptions(),
    input: { team },
  } as const;
}
