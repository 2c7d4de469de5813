'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { DangerZoneSection } from '@/components/ui/danger-zone-section';
import { Dialog } from '@/components/ui/dialog';
import { DialogActions } from '@/components/ui/dialog-actions';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useTRPC } from '@/trpc/react';

/** Deleting the project, behind a dialog where its name has to be typed (owners only). */
export function DangerZone({ project }: { project: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation(
    trpc.project.delete.mutationOptions({
      onSuccess: async () => {
        router.push('/');
        // Marked stale, not refetched: this page's own queries would only answer NOT_FOUND now.
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey(), refetchType: 'none' });
      },
    }),
  );
  const matches = typed.trim() === project;

  function close() {
    setOpen(false);
    setTyped('');
    remove.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (matches && !remove.isPending) remove.mutate({ project });
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
      <Dialog open={open} onClose={close} title="Delete project">
        <form onSubmit={submit} className="flex flex-col gap-4">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            This permanently deletes <strong>{project}</strong> and takes the app offline. Type{' '}
            <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">{project}</code> to confirm.
          </p>
          <Field label="Project name">
            {(control) => (
              <input
                {...control}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                className={`${inputClass} font-mono`}
              />
            )}
          </Field>
          <ErrorAlert error={remove.error} />
          <DialogActions onCancel={close}>
            <SubmitButton
              variant="danger"
              pending={remove.isPending}
              pendingLabel="Deleting…"
              disabled={!matches}
            >
              Delete
            </SubmitButton>
          </DialogActions>
        </form>
      </Dialog>
    </DangerZoneSection>
  );
}
