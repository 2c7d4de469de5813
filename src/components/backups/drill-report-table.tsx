import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import type { DrillReport } from '@/shared/backups/backup.schema';
import { JobStatusBadge } from './job-status-badge';

const count = (value: number | null) => (value === null ? '—' : value.toLocaleString('en'));

/** A restore drill's row counts per table: what the backup had and what came back; mismatches in red. */
export function DrillReportTable({ report }: { report: DrillReport }) {
  return (
    <div className="flex flex-col gap-2" data-testid="drill-report">
      <p className="flex items-center gap-2 text-sm">
        Drill <JobStatusBadge status={report.passed ? 'passed' : 'failed'} testId="drill-result" />
        <span className="text-zinc-600 dark:text-zinc-400">
          {report.tables.length} {report.tables.length === 1 ? 'table' : 'tables'} compared
        </span>
      </p>
      {report.tables.length > 0 && (
        <DataTable
          caption="Row counts, expected and restored"
          minWidth="min-w-[22rem]"
          columns={['Table', { label: 'Expected', numeric: true }, { label: 'Restored', numeric: true }]}
        >
          {report.tables.map((row) => {
            const mismatch = row.expected !== row.restored;
            return (
              <tr
                key={row.table}
                data-mismatch={mismatch || undefined}
                className={`${rowClass} ${mismatch ? 'bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200' : ''}`}
              >
                <td className={`${cellClass} font-mono text-xs break-all`}>
                  {row.table}
                  {mismatch && <span className="sr-only"> (mismatch)</span>}
                </td>
                <td className={`${cellClass} text-right tabular-nums`}>{count(row.expected)}</td>
                <td className={`${cellClass} text-right tabular-nums`}>{count(row.restored)}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}
