import { useQuery } from '@tanstack/react-query';
import { isUnfinished } from '@/components/backups/format';
import { useTRPC } from '@/trpc/react';

const POLL_MS = 2000;

/** The database's backups, polled while one of them is pending or running. */
export function useBackups(project: string, database: string) {
  const trpc = useTRPC();
  return useQuery(
    trpc.backup.list.queryOptions(
      { project, database },
      {
        refetchInterval: (query) =>
          query.state.data?.some((backup) => isUnfinished(backup.status)) ? POLL_MS : false,
      },
    ),
  );
}

/** The database's restores and drills, polled while one of them is pending or running. */
export function useRestores(project: string, database: string) {
  const trpc = useTRPC();
  return useQuery(
    trpc.backup.restores.queryOptions(
      { project, database },
      {
        refetchInterval: (query) =>
          query.state.data?.some((restore) => isUnfinished(restore.status)) ? POLL_MS : false,
      },
    ),
  );
}
