'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { useTRPC } from '@/trpc/react';

/** Removes a member after confirmation; removing yourself leaves the team and returns to /teams. */
export function RemoveMemberButton({
  team,
  username,
  self,
}: {
  team: string;
  username: string;
  self: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.team.removeMember.mutationOptions());

  async function confirm() {
    await remove.mutateAsync({ team, user: username });
    if (self) {
      // The team is no longer visible to us: do not refetch it, go back to the list.
      queryClient.removeQueries({ queryKey: trpc.team.get.queryKey({ team }) });
      await queryClient.invalidateQueries({ queryKey: trpc.team.list.queryKey() });
      router.push('/teams');
      router.refresh();
      return;
    }
    await queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
  }

  return (
    <ConfirmButton
      label={
        <>
          Remove<span className="max-sm:sr-only"> {username}</span>
        </>
      }
      title="Remove member"
      confirmLabel="Remove"
      variant="danger"
      small
      description={
        self ? (
          <>
            You will leave team <strong>{team}</strong> and lose access to its projects.
          </>
        ) : (
          <>
            Remove <strong>{username}</strong> from team <strong>{team}</strong>? They lose access to its
            projects at once.
          </>
        )
      }
      onConfirm={confirm}
    />
  );
}
