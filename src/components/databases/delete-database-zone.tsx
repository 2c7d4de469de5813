'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { DangerZoneSection } from '@/components/ui/danger-zone-section';
import { TypeToConfirmDeleteDialog } from '@/components/ui/type-to-confirm-delete-dialog';
import { useTRPC } from '@/trpc/react';

/** Deleting the database, behind a dialog where its name has to be typed (admins). */
export function DeleteDatabaseZone({ project, database }: { project: string; database: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.database.delete.mutationOptions({
      onSuccess: async () => {
        router.push(`/projects/${project}/databases`);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.database.list.queryKey({ project }) }),
          // Its backups now show among the backups of deleted databases.
          queryClient.invalidateQueries({ queryKey: trpc.backup.deleted.queryKey({ project }) }),
        ]);
      },
    }),
  );

  function close() {
    setOpen(false);
    remove.reset();
  }

  return (
    <DangerZoneSection
      titleId="database-danger-zone-title"
      description={
        <>
          Deleting <strong className="font-mono">{database}</strong> stops it, removes its data and unlinks it
          from {project}, and removes its schedules. Its backups are kept: they are listed under "Backups of
          deleted databases" and can be restored into a new database.
        </>
      }
      action={
        <Button variant="danger" className="shrink-0" onClick={() => setOpen(true)}>
          Delete database
        </Button>
      }
    >
      <TypeToConfirmDeleteDialog
        open={open}
        onClose={close}
        title="Delete database"
        name={database}
        description={
          <>
            This permanently deletes <strong className="font-mono">{database}</strong> and its data.
          </>
        }
        fieldLabel="Database name"
        error={remove.error}
        pending={remove.isPending}
        onConfirm={() => remove.mutate({ project, database })}
      />
    </DangerZoneSection>
  );
}
