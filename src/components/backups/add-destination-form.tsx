'use client';

import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { schemaError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { type destinationInput, destinationName } from '@/shared/backups/backup.schema';
import { S3DestinationFields, type S3Settings } from './s3-destination-fields';
import { useAsyncAction } from './use-async-action';

export type DestinationInput = z.input<typeof destinationInput>;
type Kind = DestinationInput['kind'];

const EMPTY_S3: S3Settings = {
  endpoint: '',
  region: 'us-east-1',
  bucket: '',
  prefix: '',
  forcePathStyle: false,
  accessKeyId: '',
  secretAccessKey: '',
};

const orUndefined = (value: string) => (value.trim() === '' ? undefined : value.trim());

function toInput(name: string, kind: Kind, path: string, s3: S3Settings): DestinationInput {
  if (kind === 'local') return { kind, name, path: path.trim() };
  return {
    kind,
    name,
    endpoint: orUndefined(s3.endpoint),
    region: orUndefined(s3.region),
    bucket: s3.bucket.trim(),
    prefix: orUndefined(s3.prefix),
    forcePathStyle: s3.forcePathStyle,
    accessKeyId: s3.accessKeyId.trim(),
    secretAccessKey: s3.secretAccessKey,
  };
}

/** Adds a backup destination: a directory under Rise's backup directory, or an S3 bucket. */
export function AddDestinationForm({ onAdd }: { onAdd: (input: DestinationInput) => Promise<unknown> }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('local');
  const [path, setPath] = useState('');
  const [s3, setS3] = useState<S3Settings>(EMPTY_S3);
  const [submitted, setSubmitted] = useState(false);
  const action = useAsyncAction(onAdd);
  const nameError = schemaError(destinationName, name.trim(), { submitted, required: 'Enter a name.' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || nameError) return;
    if (await action.run(toInput(name.trim(), kind, path, s3))) {
      setName('');
      setPath('');
      setS3(EMPTY_S3);
      setSubmitted(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Destination name"
          error={nameError}
          hint="e.g. offsite; lowercase letters, digits, hyphens."
          value={name}
          onChange={setName}
          verbatim
          mono
        />
        <SelectField label="Kind" value={kind} onChange={setKind}>
          <option value="local">local directory</option>
          <option value="s3">S3 bucket</option>
        </SelectField>
      </div>
      {kind === 'local' ? (
        <TextField
          label="Path"
          hint="Relative to Rise's backup directory; empty for the directory itself."
          value={path}
          onChange={setPath}
          autoComplete="off"
          spellCheck={false}
          placeholder="offsite/nightly"
          mono
        />
      ) : (
        <S3DestinationFields value={s3} onChange={setS3} />
      )}
      <FormActions error={action.error} pending={action.pending} pendingLabel="Adding…">
        Add destination
      </FormActions>
    </form>
  );
}
