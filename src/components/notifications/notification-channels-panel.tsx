'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { ChannelForm } from './channel-form';
import { DeliveryLog } from './delivery-log';
import { type ChannelOwnerRef, useChannelApi } from './use-channel-api';

// A project's and a team's lists answer the same views, but useQuery takes one options type, not a union.
type ChannelList = ReturnType<typeof useChannelApi>['list'];

type Delivery = { status: string; responseCode: number | null; error: string | null };

const resultText = (delivery: Delivery) =>
  delivery.status === 'sent'
    ? `Sent${delivery.responseCode !== null ? ` (${delivery.responseCode})` : ''}`
    : `Failed: ${delivery.error ?? 'unknown error'}`;

/**
 * "Notifications" of a project's settings or a team's page (admins): the channels events go to, what
 * each hears about, a Send test button, the delivery log, and a form to add one.
 */
export function NotificationChannelsPanel({ owner }: { owner: ChannelOwnerRef }) {
  const api = useChannelApi(owner);
  const queryClient = useQueryClient();
  const query = useQuery(api.list as ChannelList);
  const channels = query.data ?? [];
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, Delivery>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: api.list.queryKey });
  const test = useMutation({ mutationFn: api.test });
  const remove = useMutation({ mutationFn: api.remove });
  const where = 'project' in owner ? `project ${owner.project}` : `team ${owner.team}`;

  return (
    <Card title="Notifications" titleId="notifications">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Events of the {where}
          {'team' in owner ? ' and its projects' : ''} go to these channels. Failed deliveries are retried
          with growing delays; each attempt appears in the channel&apos;s delivery log.
        </p>
        <ErrorAlert error={query.error ?? test.error} />
        {query.isSuccess && channels.length === 0 && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No channels yet: add one below.</p>
        )}
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {channels.map((channel) => {
            const last = tested[channel.id] ?? channel.lastDelivery;
            return (
              <li
                key={channel.id}
                className="flex flex-col gap-2 py-3"
                data-testid={`channel-${channel.name}`}
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div className="flex flex-col">
                    <span className="font-medium">
                      {channel.name} <span className="text-xs text-zinc-500">({channel.type})</span>
                      {!channel.enabled && <span className="text-xs text-zinc-500"> · disabled</span>}
                    </span>
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">
                      {channel.kinds.length ? channel.kinds.join(', ') : 'no events'}
                    </span>
                    {last && (
                      <span
                        data-testid="last-delivery"
                        className={`text-xs ${last.status === 'sent' ? 'text-green-700 dark:text-green-400' : 'text-red-700 dark:text-red-400'}`}
                      >
                        Last delivery: {resultText(last)}
                      </span>
                    )}
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <Button
                      small
                      disabled={test.isPending}
                      onClick={() =>
                        test.mutate(channel.id, {
                          onSuccess: (delivery) => {
                            setTested({ ...tested, [channel.id]: delivery });
                            void queryClient.invalidateQueries({
                              queryKey: api.deliveries(channel.id).queryKey,
                            });
                          },
                        })
                      }
                    >
                      Send test
                    </Button>
                    <Button small onClick={() => setOpenLog(openLog === channel.id ? null : channel.id)}>
                      {openLog === channel.id ? 'Hide log' : 'Delivery log'}
                    </Button>
                    <ConfirmButton
                      small
                      variant="danger"
                      label="Remove"
                      title="Remove channel"
                      description={`${channel.name} will get no more notifications; its delivery log goes with it.`}
                      onConfirm={async () => {
                        await remove.mutateAsync(channel.id);
                        await refresh();
                      }}
                    />
                  </div>
                </div>
                {openLog === channel.id && <DeliveryLog owner={owner} channelId={channel.id} />}
              </li>
            );
          })}
        </ul>
        <ChannelForm owner={owner} onSaved={() => void refresh()} />
      </div>
    </Card>
  );
}
