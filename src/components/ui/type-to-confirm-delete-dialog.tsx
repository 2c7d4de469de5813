'use client';

import { type FormEvent, type ReactNode, useState } from 'react';
import { Dialog } from './dialog';
import { FormActions } from './form-actions';
import { TextField } from './text-field';

/**
 * A dialog that deletes `name` only once it has been typed: `description` says what goes (one sentence,
 * followed by "Type <name> to confirm."); `onConfirm` runs on submit while the typed name matches and
 * nothing is `pending`. What was typed is forgotten when the dialog closes.
 */
export function TypeToConfirmDeleteDialog({
  open,
  onClose,
  title,
  name,
  description,
  fieldLabel,
  error,
  pending,
  onConfirm,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  name: string;
  description: ReactNode;
  fieldLabel: string;
  error: unknown;
  pending: boolean;
  onConfirm: () => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <TypeToConfirmForm
        name={name}
        description={description}
        fieldLabel={fieldLabel}
        error={error}
        pending={pending}
        onCancel={onClose}
        onConfirm={onConfirm}
      />
    </Dialog>
  );
}

/** The dialog's content; mounted only while the dialog is open, so the typed name starts empty each time. */
function TypeToConfirmForm({
  name,
  description,
  fieldLabel,
  error,
  pending,
  onCancel,
  onConfirm,
}: {
  name: string;
  description: ReactNode;
  fieldLabel: string;
  error: unknown;
  pending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === name;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (matches && !pending) onConfirm();
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        {description} Type <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">{name}</code>{' '}
        to confirm.
      </p>
      <TextField label={fieldLabel} value={typed} onChange={setTyped} verbatim mono />
      <FormActions
        error={error}
        onCancel={onCancel}
        variant="danger"
        pending={pending}
        pendingLabel="Deleting…"
        disabled={!matches}
      >
        Delete
      </FormActions>
    </form>
  );
}
