'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { BackupTable } from '@/components/backups/backup-table';
import { isUnfinished } from '@/components/backups/format';
import { RestoreProgress } from '@/components/backups/restore-progress';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';
import { RestoreDeletedDialog } from './restore-deleted-dialog';

const POLL_MS = 2000;

/**
 * Backups of the project's deleted databases, shown only when there are any; admins restore a
 * succeeded one into a new database and follow its log here.
 */
export function DeletedBackupsCard({ project, canRestore }: { project: string; canRestore: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const target = { kind: 'deleted', project } as const;
  // The restore whose log is shown: the one just started here.
  const [watching, setWatching] = useState<string | null>(null);
  const backupsQuery = useQuery(trpc.backup.deleted.queryOptions({ project }));
  const restoresQuery = useQuery(
    trpc.backup.deletedRestores.queryOptions(
      { project },
      {
        enabled: watching !== null,
        refetchInterval: (query) =>
          query.state.data?.some((restore) => isUnfinished(restore.status)) ? POLL_MS : false,
      },
    ),
  );
  const backups = backupsQuery.data ?? [];

  const onEnd = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.backup.deletedRestores.queryKey({ project }) }),
      // A restore into a new database adds one to the list.
      queryClient.invalidateQueries({ queryKey: trpc.database.pathKey() }),
    ]);

  if (backups.length === 0 && !watching) return null;
  return (
    <Card title="Backups of deleted databases" titleId="deleted-backups-title">
      <div className="flex flex-col gap-4">
        <ErrorAlert error={backupsQuery.error} />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Backups outlive their database: restore one into a new database to get its data back.
        </p>
        {watching && (
          <RestoreProgress
            target={target}
            restoreId={watching}
            restore={restoresQuery.data?.find((restore) => restore.id === watching)}
            onEnd={() => void onEnd()}
            onClose={() => setWatching(null)}
          />
        )}
        {backups.length > 0 && (
          <BackupTable
            ofDeletedDatabases
            backups={backups}
            actions={
              canRestore
                ? (backup) =>
                    backup.status === 'succeeded' && (
                      <RestoreDeletedDialog project={project} backup={backup} onStarted={setWatching} />
                    )
                : undefined
            }
          />
        )}
      </div>
    </Card>
  );
}
