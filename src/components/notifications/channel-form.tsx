'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { ErrorAlert } from '@/components/ui/error-alert';
import { SaveActions } from '@/components/ui/save-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import type { createChannelInput } from '@/server/domains/notifications/notification-channel.schema';
import { NOTIFICATION_KINDS, type NotificationKind } from '@/shared/notifications/notification-kinds';
import { useTRPC } from '@/trpc/react';
import { type ChannelOwnerRef, useChannelApi } from './use-channel-api';

type Values = Record<string, string | boolean>;
type ChannelType = z.input<typeof createChannelInput>['type'];

/**
 * Adds a channel: its type (the fields follow the type, as the server's channel registry describes
 * them), a name and the events it hears about. Secret fields are sent once and never shown again.
 */
export function ChannelForm({ owner, onSaved }: { owner: ChannelOwnerRef; onSaved: () => void }) {
  const trpc = useTRPC();
  const api = useChannelApi(owner);
  const types = useQuery(trpc.notification.channelTypes.queryOptions());
  const [type, setType] = useState<ChannelType>('slack');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Values>({});
  const [kinds, setKinds] = useState<NotificationKind[]>(['deployment.failed', 'backup.failed']);
  const [saved, setSaved] = useState<string | null>(null);
  const create = useMutation({ mutationFn: api.create });
  const selected = types.data?.find((candidate) => candidate.type === type);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.reset();
    setSaved(null);
    if (!selected) return;
    const settings: Record<string, string | number | boolean> = {};
    for (const field of selected.fields) {
      const value = values[field.name];
      if (field.input === 'checkbox') settings[field.name] = value === true;
      else if (typeof value === 'string' && value.trim() !== '')
        settings[field.name] = field.input === 'number' ? Number(value) : value.trim();
    }
    create.mutate(
      { name: name.trim() || selected.label, type, settings, kinds },
      {
        onSuccess: (channel) => {
          setSaved(channel.name);
          setName('');
          setValues({});
          onSaved();
        },
      },
    );
  }

  return (
    <form
      onSubmit={submit}
      className="flex flex-col gap-4"
      noValidate
      aria-label="Add a notification channel"
    >
      <h3 className="text-sm font-semibold">Add a channel</h3>
      <ErrorAlert error={types.error} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Type"
          value={type}
          onChange={(next) => {
            setType(next);
            setValues({});
          }}
        >
          {(types.data ?? []).map((candidate) => (
            <option key={candidate.type} value={candidate.type as ChannelType}>
              {candidate.label}
            </option>
          ))}
        </SelectField>
        <TextField label="Name" value={name} onChange={setName} placeholder={selected?.label ?? ''} />
        {selected?.fields.map((field) =>
          field.input === 'checkbox' ? (
            <CheckboxField
              key={`${type}-${field.name}`}
              label={field.label}
              hint={field.help ?? undefined}
              checked={values[field.name] === true}
              onChange={(checked) => setValues({ ...values, [field.name]: checked })}
            />
          ) : (
            <TextField
              key={`${type}-${field.name}`}
              label={`${field.label}${field.optional ? ' (optional)' : ''}`}
              hint={field.help ?? (field.secret ? 'Encrypted at rest; never shown again.' : undefined)}
              type={field.input === 'password' ? 'password' : field.input === 'number' ? 'number' : 'text'}
              value={typeof values[field.name] === 'string' ? (values[field.name] as string) : ''}
              onChange={(typed) => setValues({ ...values, [field.name]: typed })}
              placeholder={field.placeholder ?? undefined}
              autoComplete={field.secret ? 'new-password' : 'off'}
              verbatim
            />
          ),
        )}
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Events</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {NOTIFICATION_KINDS.map((kind) => (
            <CheckboxField
              key={kind}
              label={kind}
              checked={kinds.includes(kind)}
              onChange={(checked) => setKinds(checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
            />
          ))}
        </div>
      </fieldset>
      <SaveActions
        error={create.error}
        pending={create.isPending}
        saved={saved && `Added ${saved}. Try it with Send test.`}
      >
        Add channel
      </SaveActions>
    </form>
  );
}
