'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { BackupTable } from '@/components/backups/backup-table';
import { isUnfinished } from '@/components/backups/format';
import { RestoreHistory } from '@/components/backups/restore-history';
import { RestoreProgress } from '@/components/backups/restore-progress';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';

const PLATFORM = { kind: 'platform' } as const;
const POLL_MS = 2000;

/**
 * Backups of Rise's own database: "Back up now", a restore drill per succeeded backup with its live log
 * and report, and the drills so far. Restoring it in place is done offline, not from here.
 */
export function PlatformBackupHistory() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [watching, setWatching] = useState<string | null>(null);
  const backups = useQuery(
    trpc.platformBackup.list.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data?.some((b) => isUnfinished(b.status)) ? POLL_MS : false),
    }),
  );
  const restores = useQuery(
    trpc.platformBackup.restores.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data?.some((r) => isUnfinished(r.status)) ? POLL_MS : false),
    }),
  );
  const refreshRestores = () =>
    queryClient.invalidateQueries({ queryKey: trpc.platformBackup.restores.queryKey() });
  const run = useMutation(
    trpc.platformBackup.run.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.platformBackup.list.queryKey() }),
    }),
  );
  const drill = useMutation(
    trpc.platformBackup.drill.mutationOptions({
      onSuccess: async (started) => {
        await refreshRestores();
        setWatching(started.id);
      },
    }),
  );

  return (
    <Card
      title="Platform backups"
      titleId="platform-backups"
      actions={
        <Button variant="primary" disabled={run.isPending} onClick={() => run.mutate({})}>
          {run.isPending ? 'Starting…' : 'Back up now'}
        </Button>
      }
    >
      <div className="flex flex-col gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Rise&apos;s own PostgreSQL database, encrypted with the backup key. A drill restores a backup into a
          scratch database and compares row counts.
        </p>
        <ErrorAlert error={run.error} prefix="Could not start the backup" />
        <ErrorAlert error={drill.error} prefix="Could not start the drill" />
        <ErrorAlert error={backups.error} />
        {backups.isPending ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading…</p>
        ) : (backups.data ?? []).length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No backups of the platform yet.</p>
        ) : (
          <BackupTable
            backups={backups.data ?? []}
            actions={(backup) =>
              backup.status === 'succeeded' && (
                <Button small disabled={drill.isPending} onClick={() => drill.mutate({ backup: backup.id })}>
                  Drill<span className="sr-only"> this backup</span>
                </Button>
              )
            }
          />
        )}
        {watching && (
          <RestoreProgress
            target={PLATFORM}
            restoreId={watching}
            restore={restores.data?.find((restore) => restore.id === watching)}
            onEnd={() => void refreshRestores()}
            onClose={() => setWatching(null)}
          />
        )}
        {(restores.data ?? []).length > 0 && (
          <div className="flex flex-col gap-2">
            <h3 className="text-sm font-semibold">Drills</h3>
            <RestoreHistory restores={restores.data ?? []} onShow={setWatching} />
          </div>
        )}
      </div>
    </Card>
  );
}
