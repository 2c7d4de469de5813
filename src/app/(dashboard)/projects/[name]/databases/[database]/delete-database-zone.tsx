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

/** Deleting the database, behind a dialog where its name has to be typed (admins). */
export function DeleteDatabaseZone({ project, database }: { project: string; database: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation(
    trpc.database.delete.mutationOptions({
      onSuccess: async () => {
        router.push(`/projects/${project}/databases`);
        await queryClient.invalidateQueries({ queryKey: trpc.database.list.queryKey({ project }) });
      },
    }),
  );
  const matches = typed.trim() === database;

  function close() {
    setOpen(false);
    setTyped('');
    remove.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (matches && !remove.isPending) remove.mutate({ project, database });
  }

  return (
    <DangerZoneSection
      titleId="database-danger-zone-title"
      description={
        <>
          Deleting <strong className="font-mono">{database}</strong> stops it, removes its data and unlinks it
          from {project}. Backups already stored at their destinations stay there.
        </>
      }
      action={
        <Button variant="danger" className="shrink-0" onClick={() => setOpen(true)}>
          Delete database
        </Button>
      }
    >
      <Dialog open={open} onClose={close} title="Delete database">
        <form onSubmit={submit} className="flex flex-col gap-4">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            This permanently deletes <strong className="font-mono">{database}</strong> and its data. Type{' '}
            <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">{database}</code> to
            confirm.
          </p>
          <Field label="Database name">
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
