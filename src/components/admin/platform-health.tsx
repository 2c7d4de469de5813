'use client';

import { useQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import type { HealthComponent } from '@/server/domains/platform/platform-health.schema';
import { useTRPC } from '@/trpc/react';

const COMPONENTS: { component: HealthComponent; label: string }[] = [
  { component: 'database', label: 'Database' },
  { component: 'runtime', label: 'Runtime' },
  { component: 'registry', label: 'Registry' },
  { component: 'proxy', label: 'Proxy' },
];

/** The health of the platform's components, probed every 10 s and on "Refresh". */
export function PlatformHealth() {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.admin.health.queryOptions(undefined, { refetchInterval: 10_000, staleTime: 0 }),
  );
  const byComponent = new Map((query.data ?? []).map((item) => [item.component, item]));
  const checkedAt = query.dataUpdatedAt ? new Date(query.dataUpdatedAt) : null;

  return (
    <Card
      title="Health"
      titleId="admin-health"
      actions={
        <div className="flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
          {checkedAt && (
            <span>
              Checked at <time dateTime={checkedAt.toISOString()}>{checkedAt.toLocaleTimeString()}</time>
            </span>
          )}
          <Button small onClick={() => query.refetch()} disabled={query.isFetching}>
            {query.isFetching ? 'Checking…' : 'Refresh'}
          </Button>
        </div>
      }
    >
      <ErrorAlert error={query.error} prefix="Could not check the platform's health" className="mb-3" />
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {COMPONENTS.map(({ component, label }) => {
          const health = byComponent.get(component);
          if (!health) {
            return (
              <li
                key={component}
                className="rounded-lg border border-zinc-200 p-3 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400"
              >
                <div className="font-medium text-zinc-900 dark:text-zinc-100">{label}</div>
                {query.isPending ? 'checking…' : 'no answer'}
              </li>
            );
          }
          return (
            <li
              key={component}
              data-testid={`health-${component}`}
              className={`rounded-lg border p-3 text-sm ${
                health.ok
                  ? 'border-emerald-300 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950/40'
                  : 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40'
              }`}
            >
              <div className="flex items-center justify-between gap-2">
                <span className="font-medium">{label}</span>
                <span
                  className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ${
                    health.ok
                      ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-200'
                      : 'bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-200'
                  }`}
                >
                  <span
                    aria-hidden="true"
                    className={`size-2 rounded-full ${health.ok ? 'bg-emerald-500' : 'bg-red-500'}`}
                  />
                  {health.ok ? 'ok' : 'error'}
                </span>
              </div>
              <p
                className={`mt-1 break-words ${
                  health.ok ? 'text-zinc-700 dark:text-zinc-300' : 'text-red-800 dark:text-red-200'
                }`}
              >
                {health.detail}
              </p>
              <p className="mt-1 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                {Math.round(health.latencyMs)} ms
              </p>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
