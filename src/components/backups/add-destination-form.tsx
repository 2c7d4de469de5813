'use client';

import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { inputClass } from '@/components/ui/button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Field } from '@/components/ui/field';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
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
        <Field
          label="Destination name"
          error={nameError}
          hint="e.g. offsite; lowercase letters, digits, hyphens."
        >
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(event) => setName(event.target.value)}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          )}
        </Field>
        <Field label="Kind">
          {(control) => (
            <select
              {...control}
              value={kind}
              onChange={(event) => setKind(event.target.value as Kind)}
              className={inputClass}
            >
              <option value="local">local directory</option>
              <option value="s3">S3 bucket</option>
            </select>
          )}
        </Field>
      </div>
      {kind === 'local' ? (
        <Field label="Path" hint="Relative to Rise's backup directory; empty for the directory itself.">
          {(control) => (
            <input
              {...control}
              value={path}
              onChange={(event) => setPath(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              placeholder="offsite/nightly"
              className={`${inputClass} font-mono`}
            />
          )}
        </Field>
      ) : (
        <S3DestinationFields value={s3} onChange={setS3} />
      )}
      <ErrorAlert error={action.error} />
      <div>
        <SubmitButton pending={action.pending} pendingLabel="Adding…">
          Add destination
        </SubmitButton>
      </div>
    </form>
  );
}
