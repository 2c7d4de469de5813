'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { linkClass } from '@/components/ui/link-class';
import { StatusBadge } from '@/components/ui/status-badge';
import { cellClass, rowClass, ScrollTable } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import { useTRPC } from '@/trpc/react';
import { formatBytes, formatMs, formatPercent } from './format';

type Sort = 'cpu' | 'memory' | 'name';

/** Every app the user can read with its current CPU, memory and uptime (sortable), and recent events. */
export function AppsOverview() {
  const trpc = useTRPC();
  const [sort, setSort] = useState<Sort>('cpu');
  const apps = useQuery(trpc.metrics.overview.queryOptions({ sort }, { refetchInterval: 60_000 }));
  const events = useQuery(trpc.metrics.events.queryOptions({ limit: 30 }, { refetchInterval: 60_000 }));
  const sortButton = (key: Sort, label: string) => (
    <button
      type="button"
      onClick={() => setSort(key)}
      aria-pressed={sort === key}
      className={`font-medium ${sort === key ? 'text-indigo-600 dark:text-indigo-400' : ''}`}
    >
      {label}
      {sort === key ? ' ↓' : ''}
    </button>
  );
  return (
    <>
      <Card title="Apps">
        {apps.data && apps.data.apps.length === 0 ? (
          <EmptyState title="No apps yet" command="rise d c" />
        ) : (
          <ScrollTable caption="Apps and their current figures" minWidth="min-w-[40rem]">
            <thead className="text-left text-zinc-500">
              <tr>
                <th className={cellClass}>{sortButton('name', 'App')}</th>
                <th className={cellClass}>Status</th>
                <th className={cellClass}>{sortButton('cpu', 'CPU')}</th>
                <th className={cellClass}>{sortButton('memory', 'Memory')}</th>
                <th className={cellClass}>Uptime check</th>
              </tr>
            </thead>
            <tbody>
              {apps.data?.apps.map((app) => (
                <tr key={app.name} className={rowClass} data-testid={`overview-app-${app.name}`}>
                  <td className={cellClass}>
                    <Link href={`/projects/${app.name}/metrics`} className={linkClass}>
                      {app.name}
                    </Link>
                  </td>
                  <td className={cellClass}>
                    <StatusBadge status={app.status} />
                  </td>
                  <td className={`${cellClass} tabular-nums`}>{formatPercent(app.cpuPercent)}</td>
                  <td className={`${cellClass} tabular-nums`}>
                    {formatBytes(app.memoryBytes)}
                    {app.memoryLimitBytes !== null && ` / ${formatBytes(app.memoryLimitBytes)}`}
                  </td>
                  <td className={`${cellClass} tabular-nums`}>
                    {app.up === null ? '–' : app.up ? `up, ${formatMs(app.responseMs)}` : 'down'}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
      </Card>
      <Card title="Recent events">
        {events.data && events.data.events.length === 0 ? (
          <EmptyState title="Nothing has happened yet" />
        ) : (
          <ul className="flex flex-col gap-2 text-sm" data-testid="recent-events">
            {events.data?.events.map((event) => (
              <li key={event.id} className="flex flex-wrap gap-x-2">
                <span className="text-zinc-500">
                  <TimeAgo date={new Date(event.at)} />
                </span>
                <Link href={`/projects/${event.project}`} className={linkClass}>
                  {event.project}
                </Link>
                <span
                  className={
                    /\.(failed|down|crashed|crash-looping|health-failing|low)$/.test(event.kind)
                      ? 'text-red-600'
                      : ''
                  }
                >
                  {event.message}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
