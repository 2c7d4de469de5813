'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { useTRPC } from '@/trpc/react';

/** Deletes the team after confirmation (owners only); the API refuses while it still owns projects. */
export function DeleteTeamButton({ team }: { team: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.team.delete.mutationOptions());

  async function confirm() {
    await remove.mutateAsync({ team });
    queryClient.removeQueries({ queryKey: trpc.team.get.queryKey({ team }) });
    await queryClient.invalidateQueries({ queryKey: trpc.team.list.queryKey() });
    router.push('/teams');
    router.refresh();
  }

  return (
    <ConfirmButton
      label="Delete team"
      title="Delete team"
      confirmLabel="Delete"
      variant="danger"
      description={
        <>
          Delete team <strong>{team}</strong> and all its memberships? This cannot be undone.
        </>
      }
      onConfirm={confirm}
    />
  );
}
