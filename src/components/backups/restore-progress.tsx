'use client';

import { Button } from '@/components/ui/button';
import type { RestoreView } from '@/shared/backups/backup.schema';
import type { BackupTarget } from './backup-target';
import { DrillReportTable } from './drill-report-table';
import { RESTORE_MODE_LABEL } from './format';
import { RestoreLog } from './restore-log';

/** One restore being watched: its live log and, once it has one, its drill report. */
export function RestoreProgress({
  target,
  restoreId,
  restore,
  onEnd,
  onClose,
}: {
  target: BackupTarget;
  restoreId: string;
  /** The restore as the restores list has it (report, error), once loaded. */
  restore: RestoreView | undefined;
  onEnd: (status: string) => void;
  onClose: () => void;
}) {
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p>
          {restore ? `Restore ${RESTORE_MODE_LABEL[restore.mode]}` : 'Restore'}
          {restore?.targetDatabase && (
            <>
              {' '}
              into <span className="font-mono">{restore.targetDatabase}</span>
            </>
          )}
        </p>
        <Button small onClick={onClose}>
          Close<span className="sr-only"> restore log</span>
        </Button>
      </div>
      <RestoreLog key={restoreId} target={target} restore={restoreId} onEnd={onEnd} />
      {restore?.error && (
        <p role="alert" className="text-sm wrap-anywhere text-red-700 dark:text-red-300">
          {restore.error}
        </p>
      )}
      {restore?.report && <DrillReportTable report={restore.report} />}
    </div>
  );
}
