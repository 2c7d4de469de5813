'use client';

import { TextField } from '@/components/ui/text-field';

/** The name of the database a backup is restored into. */
export function NewDatabaseNameField(props: {
  value: string;
  onChange: (value: string) => void;
  error: string | null | undefined;
}) {
  return (
    <TextField
      label="New database name"
      error={props.error}
      hint="Lowercase letters, digits and hyphens."
      value={props.value}
      onChange={props.onChange}
      verbatim
      mono
    />
  );
}
