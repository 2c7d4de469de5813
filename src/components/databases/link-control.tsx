'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import { DEFAULT_ENV_PREFIX } from '@/shared/databases/connection-env';
import { type DatabaseView, envPrefix } from '@/shared/databases/database.schema';
import { useTRPC } from '@/trpc/react';

/** Links the database to the project under an env prefix, or unlinks it (admins). */
export function LinkControl({ project, database }: { project: string; database: DatabaseView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [prefix, setPrefix] = useState(DEFAULT_ENV_PREFIX[database.engine]);
  const [submitted, setSubmitted] = useState(false);
  const link = useMutation(
    trpc.database.link.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.database.get.queryKey({ project, database: database.name }), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.database.list.queryKey({ project }) });
        setSubmitted(false);
      },
    }),
  );

  if (database.envPrefix) {
    return (
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          Linked: the app gets <span className="font-mono">{database.envPrefix}_URL</span> and the other
          variables on its next deploy.
        </p>
        <ConfirmButton
          small
          label="Unlink"
          title="Unlink database"
          description={
            <>
              The app stops getting <span className="font-mono">{database.envPrefix}_*</span> on its next
              deploy. The database and its data stay.
            </>
          }
          confirmLabel="Unlink"
          onConfirm={() => link.mutateAsync({ project, database: database.name, envPrefix: null })}
        />
      </div>
    );
  }

  const error = schemaError(envPrefix, prefix.trim(), { submitted, required: 'Enter an env prefix.' });
  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!prefix.trim() || error) return;
    link.mutate({ project, database: database.name, envPrefix: prefix.trim() });
  }
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <TextField
            label="Link with env prefix"
            error={error}
            hint="The app gets PREFIX_URL, PREFIX_HOST, … on its next deploy."
            value={prefix}
            onChange={(typed) => setPrefix(typed.toUpperCase())}
            autoComplete="off"
            spellCheck={false}
            mono
          />
        </div>
        <SubmitButton pending={link.isPending} pendingLabel="Linking…" className="sm:mt-6">
          Link
        </SubmitButton>
      </div>
      <ErrorAlert error={link.error} />
    </form>
  );
}
