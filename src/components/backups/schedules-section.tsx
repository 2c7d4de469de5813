'use client';

import type { z } from 'zod';
import { ErrorAlert } from '@/components/ui/error-alert';
import type { scheduleView } from '@/shared/backups/backup.schema';
import { AddScheduleForm, type ScheduleInput } from './add-schedule-form';
import { AddSection } from './add-section';
import { ScheduleList } from './schedule-list';

type Schedule = z.infer<typeof scheduleView>;

/**
 * The inside of a backup schedules card: why the list could not load, the schedules (or `empty` when
 * there are none) and, for `canEdit`, the form that adds one.
 */
export function SchedulesSection({
  query,
  empty,
  canEdit,
  destinations,
  defaultEncrypt,
  onRemove,
  onAdd,
}: {
  query: { data: Schedule[] | undefined; error: unknown; isPending: boolean };
  empty: string;
  canEdit: boolean;
  /** Names of the destinations the form offers. */
  destinations: string[];
  defaultEncrypt?: boolean;
  onRemove: (schedule: string) => Promise<unknown>;
  onAdd: (input: ScheduleInput) => Promise<unknown>;
}) {
  const schedules = query.data ?? [];
  return (
    <>
      <ErrorAlert error={query.error} className="mb-3" />
      {schedules.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{query.isPending ? 'Loading…' : empty}</p>
      ) : (
        <ScheduleList schedules={schedules} canEdit={canEdit} onRemove={onRemove} />
      )}
      {canEdit && (
        <AddSection title="Add a schedule">
          <AddScheduleForm destinations={destinations} defaultEncrypt={defaultEncrypt} onAdd={onAdd} />
        </AddSection>
      )}
    </>
  );
}
