import type { ReactNode } from 'react';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { BackupView } from '@/server/domains/backups/backup.schema';
import { formatBytes } from './_backups/format';
import { JobStatusBadge } from './_backups/job-status-badge';

const dash = <span className="text-zinc-400">—</span>;

/** Backups of deleted databases, newest first: which database each was of; `actions` per row. */
export function DeletedBackupTable({
  backups,
  actions,
}: {
  backups: BackupView[];
  actions?: (backup: BackupView) => ReactNode;
}) {
  return (
    <DataTable
      caption={`Backups of deleted databases (${backups.length})`}
      minWidth="min-w-[36rem]"
      columns={[
        'Database',
        'Status',
        { label: 'Size', numeric: true },
        'Created',
        { label: 'Actions', hidden: true },
      ]}
    >
      {backups.map((backup) => (
        <tr key={backup.id} data-testid={`deleted-backup-${backup.id}`} className={rowClass}>
          <td className={`${cellClass} font-mono text-xs wrap-anywhere`}>{backup.database ?? dash}</td>
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
          <td className={`${cellClass} text-right whitespace-nowrap tabular-nums`}>
            {backup.sizeBytes === null ? dash : formatBytes(backup.sizeBytes)}
          </td>
          <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
            <TimeAgo date={backup.createdAt} />
          </td>
          <td className={`${cellClass} text-right whitespace-nowrap`}>{actions?.(backup)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
