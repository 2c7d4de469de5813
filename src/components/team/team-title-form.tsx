'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { tooLongError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import { useTRPC } from '@/trpc/react';

/** The team's title (its display name), editable by admins and owners; empty clears it. */
export function TeamTitleForm({ team, displayName }: { team: string; displayName: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(displayName ?? '');
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.team.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
        setSaved(true);
      },
    }),
  );
  const titleError = tooLongError(title);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (titleError) return;
    update.mutate({ team, displayName: title.trim() || null });
  }

  return (
    <Card title="Settings">
      <form onSubmit={submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <TextField
            label="Title"
            error={titleError}
            hint="Shown next to the team name; leave empty for none."
            value={title}
            onChange={(typed) => {
              setTitle(typed);
              setSaved(false);
            }}
            autoComplete="off"
            placeholder="DevOps team"
          />
        </div>
        <div className="flex items-center gap-3 sm:pt-6">
          <SubmitButton variant="secondary" pending={update.isPending} pendingLabel="Saving…">
            Save title
          </SubmitButton>
          <span role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
            {saved ? 'Saved' : ''}
          </span>
        </div>
      </form>
      <ErrorAlert error={update.error} className="mt-2" />
    </Card>
  );
}
