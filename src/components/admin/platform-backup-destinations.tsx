'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddDestinationForm } from '@/components/backups/add-destination-form';
import { AddSection } from '@/components/backups/add-section';
import { DestinationList } from '@/components/backups/destination-list';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';

/** Where platform backups may be stored besides `local`. */
export function PlatformBackupDestinations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.platformBackup.destinations.queryOptions());
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.platformBackup.destinations.queryKey() });
  const add = useMutation(trpc.platformBackup.addDestination.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.platformBackup.removeDestination.mutationOptions({ onSuccess: refresh }));
  const destinations = query.data ?? [];

  return (
    <Card title="Platform backup destinations" titleId="platform-backup-destinations">
      <ErrorAlert error={query.error} className="mb-3" />
      {destinations.length > 0 && (
        <DestinationList
          destinations={destinations}
          canEdit
          onRemove={(name) => remove.mutateAsync({ name })}
        />
      )}
      <AddSection title="Add a destination" divided={destinations.length > 0}>
        <AddDestinationForm onAdd={(destination) => add.mutateAsync({ destination })} />
      </AddSection>
    </Card>
  );
}
