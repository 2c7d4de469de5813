'use client';

import { CheckboxField } from '@/components/ui/checkbox-field';
import { TextField } from '@/components/ui/text-field';

export type S3Settings = {
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
};

type TextKey = Exclude<keyof S3Settings, 'forcePathStyle'>;

const TEXT_FIELDS: { key: TextKey; label: string; hint: string; secret?: boolean }[] = [
  { key: 'endpoint', label: 'Endpoint', hint: 'Empty for AWS; e.g. https://minio.example.com for others.' },
  { key: 'region', label: 'Region', hint: 'e.g. eu-central-1.' },
  { key: 'bucket', label: 'Bucket', hint: 'The bucket must exist.' },
  { key: 'prefix', label: 'Prefix', hint: 'Optional folder inside the bucket.' },
  { key: 'accessKeyId', label: 'Access key ID', hint: 'Stored encrypted.' },
  {
    key: 'secretAccessKey',
    label: 'Secret access key',
    hint: 'Stored encrypted; never shown again.',
    secret: true,
  },
];

/** The settings of an S3 destination; the secret key is a password field. */
export function S3DestinationFields({
  value,
  onChange,
}: {
  value: S3Settings;
  onChange: (next: S3Settings) => void;
}) {
  return (
    <div className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2">
        {TEXT_FIELDS.map(({ key, label, hint, secret }) => (
          <TextField
            key={key}
            label={label}
            hint={hint}
            type={secret ? 'password' : 'text'}
            value={value[key]}
            onChange={(typed) => onChange({ ...value, [key]: typed })}
            autoComplete={secret ? 'new-password' : 'off'}
            autoCapitalize="none"
            spellCheck={false}
            mono
          />
        ))}
      </div>
      <CheckboxField
        label="Path-style addressing"
        hint="Needed by MinIO and most S3-compatible servers."
        checked={value.forcePathStyle}
        onChange={(forcePathStyle) => onChange({ ...value, forcePathStyle })}
      />
    </div>
  );
}
