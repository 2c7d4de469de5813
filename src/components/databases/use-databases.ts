import { useQuery } from '@tanstack/react-query';
import type { DatabaseView } from '@/shared/databases/database.schema';
import { useTRPC } from '@/trpc/react';

/** Database statuses that change on their own: the views poll while one is shown. */
export const isSettling = (status: DatabaseView['status']) =>
  status === 'provisioning' || status === 'restoring';

const POLL_MS = 2000;

/** The project's databases, polled while one of them is provisioning or restoring. */
export function useDatabases(project: string, initialData?: DatabaseView[]) {
  const trpc = useTRPC();
  return useQuery(
    trpc.database.list.queryOptions(
      { project },
      {
        initialData,
        refetchInterval: (query) =>
          query.state.data?.some((database) => isSettling(database.status)) ? POLL_MS : false,
      },
    ),
  );
}

/** One database, polled while it is provisioning or restoring. */
export function useDatabase(project: string, database: string, initialData?: DatabaseView) {
  const trpc = useTRPC();
  return useQuery(
    trpc.database.get.queryOptions(
      { project, database },
      {
        initialData,
        refetchInterval: (query) =>
          query.state.data && isSettling(query.state.data.status) ? POLL_MS : false,
      },
    ),
  );
}
