'use client';

import { inputClass } from '@/components/ui/button';
import { Field } from '@/components/ui/field';

/** The name of the database a backup is restored into. */
export function NewDatabaseNameField(props: {
  value: string;
  onChange: (value: string) => void;
  error: string | null | undefined;
}) {
  return (
    <Field label="New database name" error={props.error} hint="Lowercase letters, digits and hyphens.">
      {(control) => (
        <input
          {...control}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          className={`${inputClass} font-mono`}
        />
      )}
    </Field>
  );
}
