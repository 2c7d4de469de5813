import { Button } from '@/components/ui/button';
import { actionsColumn, cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { RestoreView } from '@/shared/backups/backup.schema';
import { RESTORE_MODE_LABEL } from './format';
import { JobStatusBadge } from './job-status-badge';

/** Past restores and drills, newest first; "Log" opens one in the restore panel. */
export function RestoreHistory({
  restores,
  onShow,
}: {
  restores: RestoreView[];
  onShow: (restoreId: string) => void;
}) {
  return (
    <DataTable
      caption={`Restores (${restores.length})`}
      minWidth="min-w-[34rem]"
      columns={['Mode', 'Status', 'Created', 'Result', actionsColumn]}
    >
      {restores.map((restore) => (
        <tr key={restore.id} data-testid={`restore-${restore.id}`} className={rowClass}>
          <td className={`${cellClass} whitespace-nowrap`}>
            {RESTORE_MODE_LABEL[restore.mode]}
            {restore.targetDatabase && (
              <span className="block font-mono text-xs text-zinc-500 dark:text-zinc-400">
                → {restore.targetDatabase}
              </span>
            )}
          </td>
          <td className={cellClass}>
            <JobStatusBadge status={restore.status} />
          </td>
          <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
            <TimeAgo date={restore.createdAt} />
          </td>
          <td className={`${cellClass} text-xs`}>
            {restore.error ? (
              <span className="wrap-anywhere text-red-700 dark:text-red-300">{restore.error}</span>
            ) : restore.report ? (
              <JobStatusBadge status={restore.report.passed ? 'passed' : 'failed'} />
            ) : (
              <span className="text-zinc-400">—</span>
            )}
          </td>
          <td className={`${cellClass} text-right`}>
            <Button small onClick={() => onShow(restore.id)}>
              Log<span className="sr-only"> of the {RESTORE_MODE_LABEL[restore.mode]} restore</span>
            </Button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
