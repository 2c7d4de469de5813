'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { BackupTarget } from '@/components/backups/backup-target';
import { formatBytes } from '@/components/backups/format';
import { NewDatabaseNameField } from '@/components/backups/new-database-name-field';
import { Button } from '@/components/ui/button';
import { DialogActions } from '@/components/ui/dialog-actions';
import { ErrorAlert } from '@/components/ui/error-alert';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import type { BackupView } from '@/shared/backups/backup.schema';
import { databaseName } from '@/shared/databases/database.schema';
import { useTRPC } from '@/trpc/react';
import { type RestoreMode, RestoreModeChoice } from './restore-mode-choice';

const SUBMIT_LABEL: Record<RestoreMode, string> = {
  drill: 'Start drill',
  new_database: 'Restore into new database',
  in_place: 'Continue',
};

/**
 * Picks how to restore `backup` and starts it; restoring in place (which overwrites the database) asks
 * once more on a second step before it starts.
 */
export function RestoreForm({
  target,
  backup,
  onCancel,
  onStarted,
}: {
  target: Extract<BackupTarget, { kind: 'database' }>;
  backup: BackupView;
  onCancel: () => void;
  onStarted: (restoreId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { project, database } = target;
  const [mode, setMode] = useState<RestoreMode>('drill');
  const [into, setInto] = useState(`${database}-restored`.slice(0, 31));
  const [confirming, setConfirming] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const restore = useMutation(
    trpc.backup.restore.mutationOptions({
      onSuccess: async (started) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.backup.restores.queryKey({ project, database }) }),
          queryClient.invalidateQueries({ queryKey: trpc.database.pathKey() }),
        ]);
        onStarted(started.id);
      },
    }),
  );
  const intoError =
    mode === 'new_database'
      ? schemaError(databaseName, into.trim(), { submitted, required: 'Name the new database.' })
      : null;

  function start() {
    restore.mutate({
      project,
      database,
      backup: backup.id,
      mode,
      into: mode === 'new_database' ? into.trim() : undefined,
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (mode === 'new_database' && (!into.trim() || intoError)) return;
    if (mode === 'in_place' && !confirming) return setConfirming(true);
    start();
  }

  const created = backup.createdAt.toISOString().slice(0, 16).replace('T', ' ');
  const size = backup.sizeBytes === null ? '' : `, ${formatBytes(backup.sizeBytes)}`;

  if (confirming) {
    return (
      <form onSubmit={submit} className="flex flex-col gap-4">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          This overwrites <strong className="font-mono">{database}</strong> with the backup of {created} UTC.
          Data written since then is lost, and apps using the database see errors while it restores.
        </p>
        <ErrorAlert error={restore.error} />
        <DialogActions onCancel={onCancel}>
          <Button onClick={() => setConfirming(false)}>Back</Button>
          <SubmitButton variant="danger" pending={restore.isPending} pendingLabel="Starting…">
            Restore and overwrite
          </SubmitButton>
        </DialogActions>
      </form>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        Backup of {created} UTC ({backup.trigger}
        {size}).
      </p>
      <RestoreModeChoice value={mode} onChange={setMode} />
      {mode === 'new_database' && <NewDatabaseNameField value={into} onChange={setInto} error={intoError} />}
      <ErrorAlert error={restore.error} />
      <DialogActions onCancel={onCancel}>
        <SubmitButton
          variant={mode === 'in_place' ? 'danger' : 'primary'}
          pending={restore.isPending}
          pendingLabel="Starting…"
        >
          {SUBMIT_LABEL[mode]}
        </SubmitButton>
      </DialogActions>
    </form>
  );
}
