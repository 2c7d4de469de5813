import type { ReactNode } from 'react';
import { actionsColumn, cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { BackupView } from '@/shared/backups/backup.schema';
import { formatBytes, formatDuration } from './format';
import { JobStatusBadge } from './job-status-badge';

const dash = <span className="text-zinc-400">—</span>;

/**
 * Backups, newest first, with what each one took and, for a failed one, why; `actions` per row.
 * `ofDeletedDatabases` adds the database each was taken of.
 */
export function BackupTable({
  backups,
  actions,
  ofDeletedDatabases = false,
}: {
  backups: BackupView[];
  actions?: (backup: BackupView) => ReactNode;
  ofDeletedDatabases?: boolean;
}) {
  return (
    <DataTable
      caption={`${ofDeletedDatabases ? 'Backups of deleted databases' : 'Backups'} (${backups.length})`}
      minWidth={ofDeletedDatabases ? 'min-w-[52rem]' : 'min-w-[46rem]'}
      columns={[
        ...(ofDeletedDatabases ? ['Database'] : []),
        'Status',
        'Trigger',
        { label: 'Size', numeric: true },
        { label: 'Duration', numeric: true },
        'Destination',
        'Created',
        actionsColumn,
      ]}
    >
      {backups.map((backup) => (
        <tr key={backup.id} data-testid={`backup-${backup.id}`} className={rowClass}>
          {ofDeletedDatabases && (
            <td className={`${cellClass} font-mono text-xs wrap-anywhere`}>{backup.database ?? dash}</td>
          )}
          <td className={cellClass}>
            <JobStatusBadge status={backup.status} />
            {backup.encrypted && (
              <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">encrypted</span>
            )}
            {backup.error && (
              <p className="mt-1 max-w-xs text-xs wrap-anywhere text-red-700 dark:text-red-300">
                {backup.error}
              </p>
            )}
          </td>
          <td className={cellClass}>{backup.trigger}</td>
          <td className={`${cellClass} text-right whitespace-nowrap tabular-nums`} data-testid="backup-size">
            {backup.sizeBytes === null ? dash : formatBytes(backup.sizeBytes)}
          </td>
          <td className={`${cellClass} text-right whitespace-nowrap tabular-nums`}>
            {backup.durationMs === null ? dash : formatDuration(backup.durationMs)}
          </td>
          <td className={`${cellClass} font-mono text-xs`}>{backup.destination}</td>
          <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
            <TimeAgo date={backup.createdAt} />
          </td>
          <td className={`${cellClass} text-right whitespace-nowrap`}>{actions?.(backup)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
