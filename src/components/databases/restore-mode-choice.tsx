import { useId } from 'react';
import type { RestoreView } from '@/shared/backups/backup.schema';

export type RestoreMode = RestoreView['mode'];

const MODES: { mode: RestoreMode; label: string; hint: string }[] = [
  {
    mode: 'drill',
    label: 'Restore drill (scratch copy, compare rows)',
    hint: 'Restores into a temporary copy, compares row counts per table and removes the copy.',
  },
  {
    mode: 'new_database',
    label: 'Restore into a new database',
    hint: 'Creates a database of the same engine in this project with the backup’s data.',
  },
  {
    mode: 'in_place',
    label: 'Restore into this database (overwrites)',
    hint: 'Replaces the current data; the database is unavailable while it restores.',
  },
];

/** The three ways to restore a backup, as radio buttons with what each one does. */
export function RestoreModeChoice({
  value,
  onChange,
}: {
  value: RestoreMode;
  onChange: (mode: RestoreMode) => void;
}) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-2 text-sm">
      <legend className="mb-1 font-medium">Mode</legend>
      {MODES.map(({ mode, label, hint }) => (
        <label
          key={mode}
          className="flex cursor-pointer gap-2 rounded-md border border-zinc-200 p-2 has-[:checked]:border-indigo-500 dark:border-zinc-700 dark:has-[:checked]:border-indigo-400"
        >
          <input
            type="radio"
            name={name}
            value={mode}
            checked={value === mode}
            onChange={() => onChange(mode)}
            className="mt-0.5 size-4 shrink-0 focus-visible:ring-2 focus-visible:ring-indigo-500"
          />
          <span className="flex flex-col gap-0.5">
            <span className="font-medium">{label}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">{hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
