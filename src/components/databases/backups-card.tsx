'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BackupTable } from '@/components/backups/backup-table';
import type { BackupTarget } from '@/components/backups/backup-target';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';
import { RestoreButton } from './restore-button';
import { useBackups } from './use-backup-queries';

type DatabaseTarget = Extract<BackupTarget, { kind: 'database' }>;

/** The database's backup history; "Back up now" for developers, "Restore" per succeeded backup for admins. */
export function BackupsCard({
  target,
  canBackup,
  canRestore,
  onRestoreStarted,
}: {
  target: DatabaseTarget;
  canBackup: boolean;
  canRestore: boolean;
  onRestoreStarted: (restoreId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useBackups(target.project, target.database);
  const run = useMutation(
    trpc.backup.run.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({
          queryKey: trpc.backup.list.queryKey({ project: target.project, database: target.database }),
        }),
    }),
  );
  const backups = query.data ?? [];

  return (
    <Card
      title="Backups"
      titleId="backups-title"
      actions={
        canBackup && (
          <Button
            variant="primary"
            disabled={run.isPending}
            onClick={() => run.mutate({ project: target.project, database: target.database })}
          >
            {run.isPending ? 'Starting…' : 'Back up now'}
          </Button>
        )
      }
    >
      <ErrorAlert error={run.error} prefix="Could not start the backup" className="mb-3" />
      <ErrorAlert error={query.error} className="mb-3" />
      {query.isPending ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading…</p>
      ) : backups.length === 0 ? (
        <EmptyState title="No backups yet">
          {canBackup
            ? 'Back it up now, or add a schedule below.'
            : 'Developers of this project can back it up.'}
        </EmptyState>
      ) : (
        <BackupTable
          backups={backups}
          actions={
            canRestore
              ? (backup) =>
                  backup.status === 'succeeded' && (
                    <RestoreButton target={target} backup={backup} onStarted={onRestoreStarted} />
                  )
              : undefined
          }
        />
      )}
    </Card>
  );
}
