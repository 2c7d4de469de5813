'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { errorMessage } from '@/trpc/error-message';
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
    <section
      aria-labelledby="danger-zone-title"
      className="rounded-xl border border-red-300 bg-white p-4 shadow-sm sm:p-6 dark:border-red-900 dark:bg-zinc-900"
    >
      <h2 id="danger-zone-title" className="mb-2 text-lg font-semibold text-red-700 dark:text-red-400">
        Danger zone
      </h2>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          Deleting <strong>{project}</strong> stops the app and removes its deployments, environment variables
          and custom domains. This cannot be undone; the name becomes free for anyone.
        </p>
        <Button variant="danger" className="shrink-0" onClick={() => setOpen(true)}>
          Delete project
        </Button>
      </div>
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
          {remove.error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {errorMessage(remove.error)}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="danger" disabled={!matches || remove.isPending}>
              {remove.isPending ? 'Deleting…' : 'Delete'}
            </Button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
