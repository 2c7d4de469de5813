'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { schemaError, tooLongError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { TextField } from '@/components/ui/text-field';
import { teamName } from '@/server/domains/teams/team.schema';
import { useTRPC } from '@/trpc/react';

/**
 * Creates a team owned by the user: the name is checked as it is typed with the API's own schema; on
 * success the user lands on the new team's page to add members.
 */
export function NewTeamForm({ onCancel }: { onCancel: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  // Labelled "Title" rather than "Display name" so that the label "Name" stays unique in the dialog.
  const [title, setTitle] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const create = useMutation(
    trpc.team.create.mutationOptions({
      onSuccess: async (team) => {
        await queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
        router.push(`/teams/${team.name}`);
      },
    }),
  );

  const nameError = schemaError(teamName, name, { submitted, required: 'Enter a team name.' });
  const titleError = tooLongError(title);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (name === '' || nameError || titleError) return;
    create.mutate({ name, displayName: title.trim() || null });
  }

  const busy = create.isPending || create.isSuccess;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <TextField
        label="Name"
        error={nameError}
        hint="Lowercase letters, digits and hyphens, e.g. devops; used as team:<name> in project owners."
        value={name}
        onChange={setName}
        verbatim
        placeholder="devops"
      />
      <TextField
        label="Title (optional)"
        error={titleError}
        hint="A friendlier label shown next to the name."
        value={title}
        onChange={setTitle}
        autoComplete="off"
        placeholder="DevOps team"
      />
      <FormActions error={create.error} onCancel={onCancel} pending={busy} pendingLabel="Creating…">
        Create team
      </FormActions>
    </form>
  );
}
