'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { schemaError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { ownerRef, projectName } from '@/server/domains/projects/project.schema';
import { closestMatch, didYouMean } from '@/server/domains/suggest';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';
import { teamOwners } from './team-owners';

type Visibility = 'public' | 'private';

/** The closest owner the user may pick, also for a bare name typed without `user:`/`team:`. */
function suggestOwner(typed: string, owners: string[]): string | null {
  const direct = closestMatch(typed, owners);
  if (direct || typed.includes(':')) return direct;
  return closestMatch(`team:${typed}`, owners) ?? closestMatch(`user:${typed}`, owners);
}

/**
 * Creates a project: the name is checked as it is typed with the API's own schema, the owner offers
 * the user and the teams where they may create projects (developer or higher, as the API allows).
 */
export function CreateProjectForm({
  username,
  isPlatformAdmin,
  onCancel,
}: {
  username: string;
  isPlatformAdmin: boolean;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const ownersId = useId();
  const me = `user:${username}`;
  const [name, setName] = useState('');
  const [owner, setOwner] = useState(me);
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [submitted, setSubmitted] = useState(false);

  const teams = useQuery(trpc.team.list.queryOptions({ all: isPlatformAdmin }));
  const owners = useMemo(() => [me, ...teamOwners(teams.data ?? [])], [me, teams.data]);

  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: async (project) => {
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() });
        router.push(`/projects/${project.name}`);
      },
    }),
  );

  const nameError = schemaError(projectName, name, { submitted, required: 'Enter a project name.' });

  const typedOwner = owner.trim();
  const ownerFormat = ownerRef.safeParse(typedOwner);
  const knownOwner = owners.includes(typedOwner);
  const suggestion = typedOwner && !knownOwner ? suggestOwner(typedOwner, owners) : null;
  // Platform admins may create projects for any user, so an unlisted `user:` owner is theirs to try.
  const mayBeUnlisted = isPlatformAdmin && typedOwner.startsWith('user:');
  let ownerError: string | null = null;
  if (typedOwner === '') ownerError = submitted ? 'Choose an owner.' : null;
  else if (!ownerFormat.success) {
    ownerError = `${ownerFormat.error.issues[0]?.message ?? 'Invalid owner.'}${didYouMean(suggestion)}`;
  } else if (!knownOwner && !mayBeUnlisted && teams.isSuccess) {
    ownerError = `'${typedOwner}' is not you or a team you can create projects for.${didYouMean(suggestion)}`;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    // The form says what is wrong; the API would refuse the same (unless the team list is unavailable).
    if (name === '' || nameError || !ownerFormat.success || ownerError) return;
    create.mutate({ name, owner: typedOwner, visibility });
  }

  const busy = create.isPending || create.isSuccess;

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <TextField
        label="Name"
        error={nameError}
        hint="Lowercase letters, digits and hyphens; it becomes part of the app's URL."
        value={name}
        onChange={(typed) => {
          setName(typed);
          create.reset();
        }}
        verbatim
        placeholder="my-app"
      />
      <Field
        label="Owner"
        error={ownerError}
        hint={
          teams.isError
            ? `Could not load your teams: ${errorMessage(teams.error)}`
            : `${me} (you) or team:<name> of a team where you are a developer or higher.`
        }
      >
        {(control) => (
          <>
            <input
              {...control}
              list={ownersId}
              value={owner}
              onChange={(event) => {
                setOwner(event.target.value);
                create.reset();
              }}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              className={inputClass}
            />
            <datalist id={ownersId}>
              {owners.map((value) => (
                <option key={value} value={value} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      {suggestion && ownerError && (
        <div className="-mt-2">
          <Button small onClick={() => setOwner(suggestion)}>
            Use {suggestion}
          </Button>
        </div>
      )}
      <SelectField
        label="Visibility"
        hint={
          visibility === 'public'
            ? 'Anyone with the URL can open the app.'
            : 'Visitors sign in to Rise and must be members of the owner.'
        }
        value={visibility}
        onChange={setVisibility}
      >
        <option value="public">public</option>
        <option value="private">private</option>
      </SelectField>
      <FormActions error={create.error} onCancel={onCancel} pending={busy} pendingLabel="Creating…">
        Create project
      </FormActions>
    </form>
  );
}
