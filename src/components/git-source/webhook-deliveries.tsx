'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import { actionsColumn, cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { WebhookDeliveryView } from '@/server/domains/git-hooks/git-hook.schema';
import { useTRPC } from '@/trpc/react';

/** Deliveries arrive from the forge, not from this page: asked again this often while it is open. */
const REFRESH_MS = 5000;

const statusTone: Record<WebhookDeliveryView['status'], string> = {
  accepted: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  ignored: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200',
};

/**
 * The project's latest webhook deliveries, newest first: when, which event, accepted / ignored /
 * failed and why, the deployment it started, and (for roles that may deploy) Redeliver, which runs a
 * delivery's action again. Refreshed every few seconds.
 */
export function WebhookDeliveries({ project, canRedeliver }: { project: string; canRedeliver: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.gitHooks.deliveries.queryOptions({ project }, { refetchInterval: REFRESH_MS });
  const query = useQuery(options);
  const redeliver = useMutation(
    trpc.gitHooks.redeliver.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: options.queryKey }),
          queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() }),
        ]),
    }),
  );
  const deliveries = query.data ?? [];

  return (
    <Card title="Recent deliveries" titleId="git-deliveries">
      <ErrorAlert error={query.error} prefix="Could not load the deliveries" className="mb-3" />
      {query.isPending ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>
      ) : deliveries.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No deliveries yet. Add the webhook URL and secret to the repository on the forge; its pushes and
          pull requests show here.
        </p>
      ) : (
        <DataTable
          caption={`Webhook deliveries (${deliveries.length})`}
          minWidth="min-w-[44rem]"
          columns={[
            'Received',
            'Event',
            'Status',
            'Detail',
            'Deployment',
            ...(canRedeliver ? [actionsColumn] : []),
          ]}
        >
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-testid={`delivery-${delivery.deliveryId}`} className={rowClass}>
              <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                <TimeAgo date={delivery.receivedAt} />
              </td>
              <td className={cellClass}>
                <span className="font-mono text-xs">{delivery.event}</span>
                <span className="block text-xs text-zinc-500 dark:text-zinc-400">{delivery.provider}</span>
              </td>
              <td className={cellClass}>
                <span
                  className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${statusTone[delivery.status]}`}
                >
                  {delivery.status}
                </span>
              </td>
              <td className={`${cellClass} text-xs wrap-anywhere`}>{delivery.detail ?? '—'}</td>
              <td className={`${cellClass} whitespace-nowrap`}>
                {delivery.deploymentId ? (
                  <Link
                    href={`/projects/${encodeURIComponent(project)}?deployment=${encodeURIComponent(delivery.deploymentId)}`}
                    className={`${linkClass} font-mono text-xs`}
                  >
                    {delivery.deploymentId}
                  </Link>
                ) : (
                  <span className="text-zinc-400">—</span>
                )}
              </td>
              {canRedeliver && (
                <td className={`${cellClass} text-right`}>
                  {delivery.status !== 'ignored' && (
                    <ConfirmButton
                      small
                      label={
                        <>
                          Redeliver<span className="sr-only"> {delivery.deliveryId}</span>
                        </>
                      }
                      title="Redeliver"
                      confirmLabel="Redeliver"
                      description={
                        <>
                          Run the <span className="font-mono">{delivery.event}</span> delivery{' '}
                          <span className="font-mono">{delivery.deliveryId}</span> again, as if the forge had
                          sent it now: a push or pull request is built and deployed anew.
                        </>
                      }
                      onConfirm={() => redeliver.mutateAsync({ project, delivery: delivery.id })}
                    />
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
