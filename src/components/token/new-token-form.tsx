'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { tooLongError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { TextField } from '@/components/ui/text-field';
import { useTRPC } from '@/trpc/react';

const MAX_DAYS = 3650;

/** Parses the expiry field: empty means "never expires", otherwise whole days within the API's range. */
function parseDays(value: string): { days: number | null; error: string | null } {
  const trimmed = value.trim();
  if (trimmed === '') return { days: null, error: null };
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    return { days: null, error: `Enter whole days from 1 to ${MAX_DAYS}, or leave empty for no expiry.` };
  }
  return { days, error: null };
}

/** Creates an API token; the secret is handed to `onCreated` as the API returns it only this once. */
export function NewTokenForm({
  onCancel,
  onCreated,
}: {
  onCancel: () => void;
  onCreated: (name: string, secret: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('90');
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.token.create.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.token.pathKey() });
        onCreated(result.summary.name, result.token);
      },
    }),
  );

  const trimmed = name.trim();
  const nameError =
    trimmed === ''
      ? submitted
        ? 'Enter a name, e.g. where the token is used.'
        : null
      : tooLongError(trimmed);
  const expiry = parseDays(expires);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (trimmed === '' || nameError || expiry.error) return;
    create.mutate({ name: trimmed, expiresInDays: expiry.days });
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <TextField
        label="Name"
        error={nameError}
        hint="Where the token is used, e.g. github-actions."
        value={name}
        onChange={setName}
        autoComplete="off"
        spellCheck={false}
        placeholder="github-actions"
      />
      <TextField
        label="Expires in (days)"
        error={expiry.error}
        hint={
          expiry.days === null
            ? 'Never expires. Prefer an expiry: a leaked token works until revoked.'
            : `Stops working on ${new Date(Date.now() + expiry.days * 86_400_000).toISOString().slice(0, 10)}; leave empty for no expiry.`
        }
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_DAYS}
        step={1}
        value={expires}
        onChange={setExpires}
      />
      <FormActions
        error={create.error}
        onCancel={onCancel}
        pending={create.isPending}
        pendingLabel="Creating…"
      >
        Create token
      </FormActions>
    </form>
  );
}
