'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';
import { AuditEventRow } from './audit-event-row';
import {
  type AuditFilterValues,
  auditFilterInput,
  auditFilterQuery,
  noAuditFilters,
} from './audit-filter-values';
import { AuditFilters } from './audit-filters';

const PAGE_SIZE = 50;

/**
 * The audit events the user may see, newest first, filtered by project, team and action prefix, 50 at
 * a time with "Load more". The applied filters are kept in the URL.
 */
export function AuditLog({ initialFilters }: { initialFilters: AuditFilterValues }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState(initialFilters);
  const query = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...auditFilterInput(filters), limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const events = query.data?.pages.flatMap((page) => page.events) ?? [];
  const filtered = Object.keys(auditFilterInput(filters)).length > 0;

  function apply(next: AuditFilterValues) {
    // Applying the same filters again is a refresh.
    if (JSON.stringify(auditFilterInput(next)) === JSON.stringify(auditFilterInput(filters)))
      void query.refetch();
    setFilters(next);
    window.history.replaceState(null, '', `${window.location.pathname}${auditFilterQuery(next)}`);
  }

  return (
    <Card>
      <AuditFilters applied={filters} onApply={apply} />
      {query.isError && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
          Could not load the audit log: {errorMessage(query.error)}
        </p>
      )}
      {query.isPending ? (
        <p role="status" className="py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">
          Loading events…
        </p>
      ) : events.length === 0 ? (
        query.isError ? null : filtered ? (
          <EmptyState title="No events match these filters">
            The action filter matches prefixes, e.g. <code className="font-mono">deployment.</code>.{' '}
            <Button small onClick={() => apply(noAuditFilters)}>
              Clear filters
            </Button>
          </EmptyState>
        ) : (
          <EmptyState title="No audit events yet" command="rise deploy">
            Creating projects, deploying, changing variables, domains, members and tokens is recorded here.
          </EmptyState>
        )
      ) : (
        <>
          <div className="relative -mx-4 overflow-x-auto px-4 sm:-mx-6 sm:px-6">
            <table className="w-full min-w-[48rem] text-left text-sm">
              <caption className="sr-only">Audit events ({events.length} shown)</caption>
              <thead className="text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Time
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Actor
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Action
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    Target
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    Details
                  </th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <AuditEventRow key={event.id} event={event} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-zinc-500 dark:text-zinc-400">
            <span>
              {events.length} event{events.length === 1 ? '' : 's'}
              {query.hasNextPage ? '' : ', all shown'}
            </span>
            {query.hasNextPage && (
              <Button onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            )}
          </div>
        </>
      )}
    </Card>
  );
}
