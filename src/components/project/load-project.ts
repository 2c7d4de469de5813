import 'server-only';
import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireSignedIn } from '@/trpc/server';

/**
 * The project of a /projects/<name> page, loaded once per request (the layout and its tab share it).
 * A project that does not exist or the user may not see is a 404, as the API answers NOT_FOUND for both.
 */
export const loadProject = cache(async (name: string) => {
  try {
    return await requireSignedIn(`/projects/${encodeURIComponent(name)}`, (api) =>
      api.project.get({ project: name }),
    );
  } catch (error) {
    if (error instanceof TRPCError && ['NOT_FOUND', 'BAD_REQUEST', 'FORBIDDEN'].includes(error.code)) {
      notFound();
    }
    throw error;
  }
});
