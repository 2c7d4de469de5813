'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { DataTable } from '@/components/ui/table';
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
      <ErrorAlert error={query.error} prefix="Could not load the audit log" className="mb-3" />
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
          <DataTable
            caption={`Audit events (${events.length} shown)`}
            minWidth="min-w-[48rem]"
            columns={['Time', 'Actor', 'Action', 'Target', 'Details']}
          >
            {events.map((event) => (
              <AuditEventRow key={event.id} event={event} />
            ))}
          </DataTable>
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
