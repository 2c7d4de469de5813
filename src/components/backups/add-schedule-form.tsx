'use client';

import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { inputClass } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Field } from '@/components/ui/field';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
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
        <Field label="Cron" error={cronError} hint="UTC, e.g. 0 3 * * * (daily at 03:00).">
          {(control) => (
            <input
              {...control}
              value={cron}
              onChange={(event) => setCron(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          )}
        </Field>
        <Field label="Destination" hint="Where the backups are stored.">
          {(control) => (
            <select
              {...control}
              value={destination}
              onChange={(event) => setDestination(event.target.value)}
              className={inputClass}
            >
              {choices.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Keep last" error={keepError} hint="Backups of this schedule kept; empty keeps all.">
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={1000}
              inputMode="numeric"
              value={keepLast}
              onChange={(event) => setKeepLast(event.target.value)}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="Max age (days)" error={maxAgeError} hint="Older backups are deleted; empty: no limit.">
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={3650}
              inputMode="numeric"
              value={maxAgeDays}
              onChange={(event) => setMaxAgeDays(event.target.value)}
              className={inputClass}
            />
          )}
        </Field>
      </div>
      <CheckboxField
        label="Encrypt"
        hint="AES-256-GCM with the installation's backup key."
        checked={encrypt}
        onChange={setEncrypt}
      />
      <ErrorAlert error={action.error} />
      <div>
        <SubmitButton pending={action.pending} pendingLabel="Adding…">
          Add schedule
        </SubmitButton>
      </div>
    </form>
  );
}
