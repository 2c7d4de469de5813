'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { inputClass } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { Field } from '@/components/ui/field';
import { schemaError } from '@/components/ui/field-errors';
import { SaveActions } from '@/components/ui/save-actions';
import { TextField } from '@/components/ui/text-field';
import { envVarKey } from '@/shared/env-vars/env-var.schema';
import { useTRPC } from '@/trpc/react';
import type { EnvVarRow } from './env-var-table';

export type EnvVarPreset = { key: string; value: string; secret: boolean; focus: boolean };

/**
 * Adds a variable or replaces the value of an existing one (same key). The key is checked as it is
 * typed, with the rule the API applies.
 */
export function EnvVarForm({
  project,
  vars,
  preset,
  onSaved,
}: {
  project: string;
  vars: EnvVarRow[];
  preset: EnvVarPreset;
  onSaved: (vars: EnvVarRow[], key: string) => void;
}) {
  const trpc = useTRPC();
  const [key, setKey] = useState(preset.key);
  const [value, setValue] = useState(preset.value);
  const [secret, setSecret] = useState(preset.secret);
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const valueRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (preset.focus) valueRef.current?.focus();
  }, [preset.focus]);

  const save = useMutation(
    trpc.env.set.mutationOptions({
      onSuccess: (result, input) => {
        const savedKey = input.vars[0]?.key ?? '';
        onSaved(result, savedKey);
        setSaved(savedKey);
        setKey('');
        setValue('');
        setSecret(false);
        setSubmitted(false);
      },
    }),
  );

  const trimmedKey = key.trim();
  const error = schemaError(envVarKey, trimmedKey, {
    submitted,
    required: 'Enter a name, e.g. DATABASE_URL.',
  });
  const existing = vars.find((row) => row.key === trimmedKey);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    setSubmitted(true);
    setSaved(null);
    if (!trimmedKey || error) return;
    save.mutate({ project, vars: [{ key: trimmedKey, value, secret }] });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <TextField
          label="Key"
          error={error}
          hint={
            existing
              ? `${existing.key} exists: saving replaces its value${existing.secret && !secret ? ' and stores it as a plain variable' : ''}.`
              : 'Letters, digits and underscores, e.g. DATABASE_URL.'
          }
          value={key}
          onChange={(typed) => {
            setKey(typed);
            setSaved(null);
          }}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="DATABASE_URL"
          mono
        />
        <Field
          label="Value"
          hint={
            secret
              ? 'Stored encrypted; shown again only through Reveal.'
              : 'Shown to everyone who can see the project.'
          }
        >
          {(control) => (
            <textarea
              {...control}
              ref={valueRef}
              value={value}
              onChange={(event) => setValue(event.target.value)}
              rows={2}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} min-h-[2.5rem] font-mono`}
            />
          )}
        </Field>
      </div>
      <CheckboxField
        label="Secret"
        hint="Encrypted at rest and hidden in the dashboard, the CLI and the audit log."
        checked={secret}
        onChange={setSecret}
      />
      <SaveActions
        error={save.error}
        pending={save.isPending}
        saved={saved && `Saved ${saved}. It applies on the next deployment.`}
      >
        Save variable
      </SaveActions>
    </form>
  );
}
