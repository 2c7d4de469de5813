'use client';

import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '@/components/backups/format';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { TimeAgo } from '@/components/ui/time-ago';
import type { VolumeBackupView } from '@/shared/volumes/volume.schema';
import { useTRPC } from '@/trpc/react';

function drillText(drill: VolumeBackupView['drill']): string {
  if (!drill) return 'not drilled';
  if (drill.ok) return 'drill passed';
  if (drill.error) return `drill failed: ${drill.error}`;
  const differences = [...drill.missing, ...drill.extra, ...drill.changed];
  return `drill failed: ${differences.length} ${differences.length === 1 ? 'file differs' : 'files differ'}`;
}

/** The project's latest volume backups with their last drill (taken with `rise volume backup`). */
export function VolumeBackups({ project }: { project: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.volume.backups.queryOptions({ project }));
  const backups = query.data ?? [];
  return (
    <Card title="Volume backups" titleId="volume-backups">
      <ErrorAlert error={query.error} className="mb-3" />
      {query.isPending ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>
      ) : backups.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No volume backups yet: <span className="font-mono">rise volume backup data -p {project}</span>, or a
          schedule with{' '}
          <span className="font-mono">rise volume schedule data --cron &apos;0 3 * * *&apos; --keep 7</span>.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {backups.map((backup) => (
            <li
              key={backup.id}
              data-testid={`volume-backup-${backup.id}`}
              className="flex flex-col gap-1 py-2"
            >
              <span>
                <span className="font-mono font-medium">{backup.volume}</span> → {backup.destination}:{' '}
                <span className={backup.status === 'failed' ? 'text-red-700 dark:text-red-300' : undefined}>
                  {backup.status}
                </span>
              </span>
              <span className="flex flex-wrap gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
                <TimeAgo date={backup.createdAt} />
                {backup.sizeBytes !== null && <span>{formatBytes(backup.sizeBytes)}</span>}
                {backup.files !== null && <span>{backup.files} files</span>}
                {backup.encrypted && <span>encrypted</span>}
                {backup.status === 'succeeded' && <span>{drillText(backup.drill)}</span>}
                {backup.error && <span>{backup.error}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
