import 'server-only';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { LIST_PAGE_MAX } from '@/server/domains/projects/project.schema';
import { requireSignedIn } from '@/trpc/server';

/**
 * The team of a /teams/<name> page with the signed-in user and the team's projects. A team that does
 * not exist, or that the user may not see, is a 404, as the API answers NOT_FOUND for both.
 */
export const loadTeam = cache(async (name: string) => {
  try {
    return await requireSignedIn(`/teams/${encodeURIComponent(name)}`, async (api) => {
      const [team, me] = await Promise.all([api.team.get({ team: name }), api.me()]);
      const isPlatformAdmin = me.kind === 'user' && me.isPlatformAdmin;
      // One page of the team's projects, the largest the API serves.
      const projects = await api.project.list({
        all: isPlatformAdmin,
        team: team.name,
        limit: LIST_PAGE_MAX,
      });
      return { team, projects, username: me.kind === 'user' ? me.username : null };
    });
  } catch (error) {
    if (error instanceof TRPCError && ['NOT_FOUND', 'BAD_REQUEST', 'FORBIDDEN'].includes(error.code)) {
      notFound();
    }
    throw error;
  }
});
