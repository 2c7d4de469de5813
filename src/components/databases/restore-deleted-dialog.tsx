'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { formatBytes } from '@/components/backups/format';
import { NewDatabaseNameField } from '@/components/backups/new-database-name-field';
import { schemaError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import type { BackupView } from '@/shared/backups/backup.schema';
import { databaseName } from '@/shared/databases/database.schema';
import { useTRPC } from '@/trpc/react';
import { RestoreDialogButton } from './restore-dialog-button';

/** "Restore into new database" on a succeeded backup of a deleted database, with its dialog. */
export function RestoreDeletedDialog({
  project,
  backup,
  onStarted,
}: {
  project: string;
  backup: BackupView;
  onStarted: (restoreId: string) => void;
}) {
  return (
    <RestoreDialogButton
      label={
        <>
          Restore into new database
          <span className="sr-only"> from the backup of {backup.database ?? 'a deleted database'}</span>
        </>
      }
      title="Restore into new database"
      onStarted={onStarted}
    >
      {(form) => <RestoreDeletedForm project={project} backup={backup} {...form} />}
    </RestoreDialogButton>
  );
}

function RestoreDeletedForm({
  project,
  backup,
  onCancel,
  onStarted,
}: {
  project: string;
  backup: BackupView;
  onCancel: () => void;
  onStarted: (restoreId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [into, setInto] = useState(backup.database ?? '');
  const [submitted, setSubmitted] = useState(false);
  const restore = useMutation(
    trpc.backup.restoreDeleted.mutationOptions({
      onSuccess: async (started) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.backup.deletedRestores.queryKey({ project }) }),
          queryClient.invalidateQueries({ queryKey: trpc.database.pathKey() }),
        ]);
        onStarted(started.id);
      },
    }),
  );
  const intoError = schemaError(databaseName, into.trim(), { submitted, required: 'Name the new database.' });

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!into.trim() || intoError) return;
    restore.mutate({ project, backup: backup.id, into: into.trim() });
  }

  const created = backup.createdAt.toISOString().slice(0, 16).replace('T', ' ');
  const size = backup.sizeBytes === null ? '' : `, ${formatBytes(backup.sizeBytes)}`;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Backup of deleted database{' '}
        <span className="font-mono wrap-anywhere">{backup.database ?? 'unknown'}</span> from {created} UTC (
        {backup.trigger}
        {size}). It is restored into a new database, not linked to the project.
      </p>
      <NewDatabaseNameField value={into} onChange={setInto} error={intoError} />
      <FormActions
        error={restore.error}
        onCancel={onCancel}
        pending={restore.isPending}
        pendingLabel="Starting…"
      >
        Restore into new database
      </FormActions>
    </form>
  );
}
