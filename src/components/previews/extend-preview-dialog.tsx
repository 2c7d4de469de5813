'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DialogButton } from '@/components/ui/dialog-button';
import { FormActions } from '@/components/ui/form-actions';
import { SelectField } from '@/components/ui/select-field';
import { useTRPC } from '@/trpc/react';

/** The expiries the dashboard offers (the CLI takes any: `rise d extend -g mr/26 --expire 3d`). */
const CHOICES = [
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
] as const;
type Choice = (typeof CHOICES)[number]['value'];

/** "Extend" and its dialog: a new expiry for a preview group's active deployment, counted from now. */
export function ExtendPreviewDialog({ project, group }: { project: string; group: string }) {
  return (
    <DialogButton
      small
      label={
        <>
          Extend<span className="sr-only"> {group}</span>
        </>
      }
      title={`Extend ${group}`}
    >
      {(close) => <ExtendForm project={project} group={group} onDone={close} />}
    </DialogButton>
  );
}

function ExtendForm({ project, group, onDone }: { project: string; group: string; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [expire, setExpire] = useState<Choice>('7d');
  const extend = useMutation(
    trpc.deployment.extend.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() });
        onDone();
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    extend.mutate({ project, group, expire });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <SelectField
        label="Expires in"
        hint={
          <>
            Counted from now; the preview and its URL go away then. From your terminal:{' '}
            <code className="font-mono">
              rise d extend {project} -g {group} --expire {expire}
            </code>
          </>
        }
        value={expire}
        onChange={setExpire}
      >
        {CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      <FormActions
        error={extend.error}
        onCancel={onDone}
        pending={extend.isPending}
        pendingLabel="Extending…"
      >
        Extend
      </FormActions>
    </form>
  );
}
