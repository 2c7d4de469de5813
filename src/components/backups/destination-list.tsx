'use client';

import type { z } from 'zod';
import { RemovableRowContent } from '@/components/ui/removable-row-content';
import { TimeAgo } from '@/components/ui/time-ago';
import type { destinationView } from '@/shared/backups/backup.schema';

type Destination = z.infer<typeof destinationView>;

/** Backup destinations: name, kind and where they write; "Remove" only for `canEdit`. */
export function DestinationList({
  destinations,
  canEdit,
  onRemove,
}: {
  destinations: Destination[];
  canEdit: boolean;
  onRemove: (name: string) => Promise<unknown>;
}) {
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {destinations.map((destination) => (
        <li
          key={destination.id}
          data-testid={`destination-${destination.name}`}
          className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
        >
          <RemovableRowContent
            remove={
              canEdit && {
                item: destination.name,
                title: 'Remove destination',
                description: (
                  <>
                    Rise stops writing to <span className="font-mono">{destination.name}</span>. The backups
                    stored there are left where they are.
                  </>
                ),
                onConfirm: () => onRemove(destination.name),
              }
            }
          >
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-mono font-medium">{destination.name}</span>
              <span className="rounded bg-zinc-100 px-1.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                {destination.kind}
              </span>
            </p>
            <p className="text-xs wrap-anywhere text-zinc-600 dark:text-zinc-400">
              <span className="font-mono">{destination.location}</span> · added{' '}
              <TimeAgo date={destination.createdAt} />
            </p>
          </RemovableRowContent>
        </li>
      ))}
    </ul>
  );
}
