'use client';

import type { z } from 'zod';
import { RemoveButton } from '@/components/ui/remove-button';
import { actionsColumn, cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { scheduleView } from '@/shared/backups/backup.schema';

type Schedule = z.infer<typeof scheduleView>;
const dash = <span className="text-zinc-400">—</span>;

/** Backup schedules with their retention and next run; "Remove" only for `canEdit`. */
export function ScheduleList({
  schedules,
  canEdit,
  onRemove,
}: {
  schedules: Schedule[];
  canEdit: boolean;
  onRemove: (id: string) => Promise<unknown>;
}) {
  return (
    <DataTable
      caption={`Backup schedules (${schedules.length})`}
      minWidth="min-w-[40rem]"
      columns={[
        'Cron (UTC)',
        'Destination',
        { label: 'Keep', numeric: true },
        { label: 'Max age', numeric: true },
        'Encrypt',
        'Next run',
        ...(canEdit ? [actionsColumn] : []),
      ]}
    >
      {schedules.map((schedule) => (
        <tr key={schedule.id} data-testid={`schedule-${schedule.id}`} className={rowClass}>
          <td className={`${cellClass} font-mono text-xs whitespace-nowrap`}>{schedule.cron}</td>
          <td className={`${cellClass} font-mono text-xs`}>{schedule.destination}</td>
          <td className={`${cellClass} text-right tabular-nums`}>{schedule.keepLast ?? dash}</td>
          <td className={`${cellClass} text-right whitespace-nowrap tabular-nums`}>
            {schedule.maxAgeDays === null ? dash : `${schedule.maxAgeDays} d`}
          </td>
          <td className={cellClass}>{schedule.encrypt ? 'yes' : 'no'}</td>
          <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
            {!schedule.enabled ? (
              'disabled'
            ) : schedule.nextRunAt ? (
              <TimeAgo date={schedule.nextRunAt} />
            ) : (
              dash
            )}
          </td>
          {canEdit && (
            <td className={`${cellClass} text-right`}>
              <RemoveButton
                item={`schedule ${schedule.cron}`}
                title="Remove schedule"
                description={
                  <>
                    Backups on <span className="font-mono">{schedule.cron}</span> stop. Backups it already
                    made are kept.
                  </>
                }
                onConfirm={() => onRemove(schedule.id)}
              />
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
