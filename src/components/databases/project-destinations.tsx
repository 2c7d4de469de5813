'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddDestinationForm } from '@/components/backups/add-destination-form';
import { AddSection } from '@/components/backups/add-section';
import { DestinationList } from '@/components/backups/destination-list';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';

/** The project's backup destinations; admins add and remove them. */
export function ProjectDestinations({ project, canEdit }: { project: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.backup.destinations.queryOptions({ project });
  const query = useQuery(listOptions);
  const refresh = () => queryClient.invalidateQueries({ queryKey: listOptions.queryKey });
  const add = useMutation(trpc.backup.addDestination.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.backup.removeDestination.mutationOptions({ onSuccess: refresh }));
  const destinations = query.data ?? [];

  return (
    <Card title="Backup destinations" titleId="destinations-title">
      <ErrorAlert error={query.error} className="mb-3" />
      <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        Backups go to <span className="font-mono">local</span> (Rise&apos;s backup directory) unless a
        schedule names another destination.
      </p>
      {destinations.length > 0 && (
        <DestinationList
          destinations={destinations}
          canEdit={canEdit}
          onRemove={(name) => remove.mutateAsync({ project, name })}
        />
      )}
      {canEdit && (
        <AddSection title="Add a destination">
          <AddDestinationForm onAdd={(destination) => add.mutateAsync({ project, destination })} />
        </AddSection>
      )}
    </Card>
  );
}
