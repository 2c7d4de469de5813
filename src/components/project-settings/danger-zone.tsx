'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { DangerZoneSection } from '@/components/ui/danger-zone-section';
import { TypeToConfirmDeleteDialog } from '@/components/ui/type-to-confirm-delete-dialog';
import { useTRPC } from '@/trpc/react';

/** Deleting the project, behind a dialog where its name has to be typed (owners only). */
export function DangerZone({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.project.delete.mutationOptions({
      onSuccess: async () => {
        router.push('/');
        // Marked stale, not refetched: this page's own queries would only answer NOT_FOUND now.
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey(), refetchType: 'none' });
      },
    }),
  );

  function close() {
    setOpen(false);
    remove.reset();
  }

  return (
    <DangerZoneSection
      titleId="danger-zone-title"
      description={
        <>
          Deleting <strong>{project}</strong> stops the app and removes its deployments, environment variables
          and custom domains. This cannot be undone; the name becomes free for anyone.
        </>
      }
      action={
        <Button variant="danger" className="shrink-0" onClick={() => setOpen(true)}>
          Delete project
        </Button>
      }
    >
      <TypeToConfirmDeleteDialog
        open={open}
        onClose={close}
        title="Delete project"
        name={project}
        description={
          <>
            This permanently deletes <strong>{project}</strong> and takes the app offline.
          </>
        }
        fieldLabel="Project name"
        error={remove.error}
        pending={remove.isPending}
        onConfirm={() => remove.mutate({ project })}
      />
    </DangerZoneSection>
  );
}
