'use client';

import { useQuery } from '@tanstack/react-query';
import { RecentFailures } from '@/components/backups/recent-failures';
import { useTRPC } from '@/trpc/react';

/** The project's failed backups, restores and drills, when there are any. */
export function ProjectRecentFailures({ project }: { project: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.backup.notifications.queryOptions({ project }, { refetchInterval: 30_000 }));
  return <RecentFailures notifications={query.data ?? []} />;
}
