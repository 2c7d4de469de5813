'use client';

import { useQuery } from '@tanstack/react-query';
import { ErrorAlert } from '@/components/ui/error-alert';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import { type ChannelOwnerRef, useChannelApi } from './use-channel-api';

/** The channel's last 50 delivery attempts, newest first: what was sent, how the receiver answered. */
export function DeliveryLog({ owner, channelId }: { owner: ChannelOwnerRef; channelId: string }) {
  const api = useChannelApi(owner);
  const query = useQuery({
    ...(api.deliveries(channelId) as ReturnType<typeof api.deliveries>),
    refetchInterval: 5000,
  });
  const deliveries = query.data ?? [];
  if (query.isSuccess && deliveries.length === 0)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Nothing sent yet. Use Send test to try the channel.
      </p>
    );
  return (
    <div className="flex flex-col gap-2">
      <ErrorAlert error={query.error} />
      <DataTable
        caption="Delivery log"
        minWidth="36rem"
        columns={[
          { label: 'When' },
          { label: 'Event' },
          { label: 'Attempt' },
          { label: 'Result' },
          { label: 'Error' },
        ]}
      >
        {deliveries.map((delivery) => (
          <tr key={delivery.id} className={rowClass} data-testid="delivery-row">
            <td className={cellClass}>
              <TimeAgo date={delivery.createdAt} />
            </td>
            <td className={cellClass}>
              <span className="font-mono text-xs">{delivery.kind}</span>
              <div className="text-xs text-zinc-600 dark:text-zinc-400">{delivery.title}</div>
            </td>
            <td className={cellClass}>{delivery.attempt}</td>
            <td className={cellClass}>
              <span
                className={
                  delivery.status === 'sent'
                    ? 'text-green-700 dark:text-green-400'
                    : 'text-red-700 dark:text-red-400'
                }
              >
                {delivery.status}
              </span>
              {delivery.responseCode !== null && <span className="text-xs"> ({delivery.responseCode})</span>}
            </td>
            <td className={`${cellClass} text-xs break-all`}>{delivery.error ?? ''}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
