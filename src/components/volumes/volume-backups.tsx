'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatBytes, isUnfinished } from '@/components/backups/format';
import { JobStatusBadge } from '@/components/backups/job-status-badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Spinner } from '@/components/ui/spinner';
import { TimeAgo } from '@/components/ui/time-ago';
import type { VolumeBackupView } from '@/shared/volumes/volume.schema';
import { useTRPC } from '@/trpc/react';
import { type AskedAction, actionStamp, drillText, isUnderWay } from './volume-backup-progress';

const POLL_MS = 2000;

/**
 * The project's latest volume backups with their status and last drill; "Drill" (developers) restores
 * one into a scratch volume and compares every file, "Restore" (admins) replaces the volume's files.
 */
export function VolumeBackups({
  project,
  canBackup,
  canRestore,
}: {
  project: string;
  canBackup: boolean;
  canRestore: boolean;
}) {
  const trpc = useTRPC();
  // Drills and restores asked from this page, by backup, until the row shows their outcome.
  const [asked, setAsked] = useState<Record<string, AskedAction>>({});
  const query = useQuery(
    trpc.volume.backups.queryOptions(
      { project },
      {
        refetchInterval: (q) =>
          Object.keys(asked).length > 0 || q.state.data?.some((backup) => isUnfinished(backup.status))
            ? POLL_MS
            : false,
      },
    ),
  );
  const backups = query.data ?? [];
  const drill = useMutation(trpc.volume.drill.mutationOptions());
  const restore = useMutation(trpc.volume.restore.mutationOptions());

  useEffect(() => {
    const settled = backups.filter((backup) => asked[backup.id] && !isUnderWay(asked[backup.id]!, backup));
    if (settled.length === 0) return;
    setAsked((current) =>
      Object.fromEntries(
        Object.entries(current).filter(([id]) => !settled.some((backup) => backup.id === id)),
      ),
    );
  }, [backups, asked]);

  async function ask(backup: VolumeBackupView, action: AskedAction['action']) {
    const mutation = action === 'drill' ? drill : restore;
    await mutation.mutateAsync({ project, backup: backup.id });
    setAsked((current) => ({
      ...current,
      [backup.id]: { action, before: actionStamp(backup, action), at: Date.now() },
    }));
  }

  return (
    <Card title="Volume backups" titleId="volume-backups">
      <ErrorAlert error={query.error} className="mb-3" />
      <ErrorAlert error={drill.error} prefix="Could not start the drill" className="mb-3" />
      {query.isPending ? (
        <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          <Spinner /> Loading…
        </p>
      ) : backups.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No volume backups yet: {canBackup ? 'Back up now above, ' : ''}
          <span className="font-mono">rise volume backup data -p {project}</span>, or a schedule with{' '}
          <span className="font-mono">rise volume schedule data --cron &apos;0 3 * * *&apos; --keep 7</span>.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {backups.map((backup) => (
            <BackupRow
              key={backup.id}
              backup={backup}
              asked={asked[backup.id]}
              drill={canBackup ? () => ask(backup, 'drill').catch(() => {}) : null}
              restore={canRestore ? () => ask(backup, 'restore') : null}
            />
          ))}
        </ul>
      )}
      {!canRestore && backups.length > 0 && (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          {canBackup
            ? 'Restoring a backup needs the admin role on this project.'
            : 'Drills need the developer role on this project, restores the admin role.'}
        </p>
      )}
    </Card>
  );
}

function BackupRow({
  backup,
  asked,
  drill,
  restore,
}: {
  backup: VolumeBackupView;
  asked: AskedAction | undefined;
  drill: (() => Promise<void>) | null;
  restore: (() => Promise<void>) | null;
}) {
  const working = asked !== undefined && isUnderWay(asked, backup);
  const usable = backup.status === 'succeeded';
  return (
    <li
      data-testid={`volume-backup-${backup.id}`}
      className="flex flex-col gap-2 py-2 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="flex min-w-0 flex-col gap-1">
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-mono font-medium">{backup.volume}</span>
          <span>→ {backup.destination}</span>
          <JobStatusBadge status={backup.status} testId={`volume-backup-status-${backup.id}`} />
          {isUnfinished(backup.status) && <Spinner />}
        </span>
        <span className="flex flex-wrap gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
          <TimeAgo date={backup.createdAt} />
          {backup.sizeBytes !== null && <span>{formatBytes(backup.sizeBytes)}</span>}
          {backup.files !== null && (
            <span>
              {backup.files} {backup.files === 1 ? 'file' : 'files'}
            </span>
          )}
          {backup.encrypted && <span>encrypted</span>}
          {usable && (
            <span
              data-testid={`volume-backup-drill-${backup.id}`}
              className={backup.drill && !backup.drill.ok ? 'text-red-700 dark:text-red-300' : undefined}
            >
              {drillText(backup.drill)}
              {backup.drill && (
                <>
                  {' '}
                  <TimeAgo date={backup.drill.at} />
                </>
              )}
            </span>
          )}
          {backup.restoredAt && (
            <span>
              restored <TimeAgo date={backup.restoredAt} />
            </span>
          )}
          {backup.error && <span className="text-red-700 dark:text-red-300">{backup.error}</span>}
        </span>
      </div>
      {usable && (drill || restore) && (
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          <span role="status" className="flex items-center gap-1.5 text-xs empty:hidden">
            {working && (
              <>
                <Spinner /> {asked?.action === 'drill' ? 'Drilling…' : 'Restoring…'}
              </>
            )}
          </span>
          {drill && (
            <Button small disabled={working} onClick={() => void drill()}>
              Drill<span className="sr-only"> backup of {backup.volume}</span>
            </Button>
          )}
          {restore && (
            <ConfirmButton
              small
              variant="danger"
              disabled={working}
              label={
                <>
                  Restore<span className="sr-only"> backup of {backup.volume}</span>
                </>
              }
              title={`Restore volume ${backup.volume}`}
              confirmLabel={`Overwrite ${backup.volume}`}
              description={
                <>
                  <p>
                    Every file in the volume <span className="font-mono">{backup.volume}</span> is replaced by
                    this backup&apos;s {backup.files ?? ''} {backup.files === 1 ? 'file' : 'files'} from{' '}
                    <TimeAgo date={backup.createdAt} />: files written since are lost.
                  </p>
                  <p className="mt-2">
                    The project must be stopped (<span className="font-mono">rise d stop</span>): a running
                    deployment has the volume mounted. Run a drill first to check the backup.
                  </p>
                </>
              }
              onConfirm={restore}
            />
          )}
        </div>
      )}
    </li>
  );
}
