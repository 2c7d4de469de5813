'use client';

import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { schemaError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { cronExpression, type scheduleInput } from '@/shared/backups/backup.schema';
import { optionalNumber, useAsyncAction } from './use-async-action';

export type ScheduleInput = z.input<typeof scheduleInput>;

function rangeError(value: number | null, max: number): string | null {
  if (value === null) return null;
  return Number.isInteger(value) && value >= 1 && value <= max ? null : `A whole number from 1 to ${max}.`;
}

/** Adds a backup schedule: cron in UTC, where to, how many / how old backups to keep, encrypted or not. */
export function AddScheduleForm({
  destinations,
  defaultEncrypt = false,
  onAdd,
}: {
  /** Names of the configured destinations; `local` (Rise's backup directory) is always offered. */
  destinations: string[];
  defaultEncrypt?: boolean;
  onAdd: (input: ScheduleInput) => Promise<unknown>;
}) {
  const [cron, setCron] = useState('0 3 * * *');
  const [destination, setDestination] = useState('local');
  const [keepLast, setKeepLast] = useState('7');
  const [maxAgeDays, setMaxAgeDays] = useState('');
  const [encrypt, setEncrypt] = useState(defaultEncrypt);
  const [submitted, setSubmitted] = useState(false);
  const action = useAsyncAction(onAdd);
  const choices = ['local', ...destinations.filter((name) => name !== 'local')];

  const cronError = schemaError(cronExpression, cron.trim(), {
    submitted,
    required: 'Enter a cron expression.',
  });
  const keep = optionalNumber(keepLast);
  const maxAge = optionalNumber(maxAgeDays);
  const keepError = rangeError(keep, 1000);
  const maxAgeError = rangeError(maxAge, 3650);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!cron.trim() || cronError || keepError || maxAgeError) return;
    const added = await action.run({
      cron: cron.trim(),
      destination,
      encrypt,
      keepLast: keep,
      maxAgeDays: maxAge,
    });
    if (added) setSubmitted(false);
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Cron"
          error={cronError}
          hint="UTC, e.g. 0 3 * * * (daily at 03:00)."
          value={cron}
          onChange={setCron}
          autoComplete="off"
          spellCheck={false}
          mono
        />
        <SelectField
          label="Destination"
          hint="Where the backups are stored."
          value={destination}
          onChange={setDestination}
        >
          {choices.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Keep last"
          error={keepError}
          hint="Backups of this schedule kept; empty keeps all."
          type="number"
          min={1}
          max={1000}
          inputMode="numeric"
          value={keepLast}
          onChange={setKeepLast}
        />
        <TextField
          label="Max age (days)"
          error={maxAgeError}
          hint="Older backups are deleted; empty: no limit."
          type="number"
          min={1}
          max={3650}
          inputMode="numeric"
          value={maxAgeDays}
          onChange={setMaxAgeDays}
        />
      </div>
      <CheckboxField
        label="Encrypt"
        hint="AES-256-GCM with the installation's backup key."
        checked={encrypt}
        onChange={setEncrypt}
      />
      <FormActions error={action.error} pending={action.pending} pendingLabel="Adding…">
        Add schedule
      </FormActions>
    </form>
  );
}
