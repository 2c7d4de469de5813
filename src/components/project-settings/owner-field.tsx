'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { teamOwners } from '@/components/project/team-owners';
import { inputClass } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { useTRPC } from '@/trpc/react';

/**
 * "Owner": `user:<name>` or `team:<name>`, suggesting the signed-in user and the teams they may move
 * projects to (developer or higher, as the API requires). Read-only without `project:transfer`.
 */
export function OwnerField({
  value,
  current,
  canTransfer,
  error,
  onChange,
}: {
  value: string;
  current: string;
  canTransfer: boolean;
  error?: string;
  onChange: (value: string) => void;
}) {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.me.queryOptions(), enabled: canTransfer });
  const teams = useQuery({ ...trpc.team.list.queryOptions(undefined), enabled: canTransfer });
  const listId = useId();
  const choices = [
    ...(me.data?.kind === 'user' ? [`user:${me.data.username}`] : []),
    ...teamOwners(teams.data ?? []),
  ].filter((choice) => choice !== current);

  const changed = canTransfer && value.trim() !== current;
  return (
    <Field
      label="Owner"
      error={error}
      hint={
        !canTransfer
          ? 'Only an owner of the project can transfer it.'
          : changed
            ? `Saving transfers the project from ${current} to ${value.trim()}; your role on it then comes from the new owner.`
            : "A user (user:<name>) or one of your teams (team:<name>). Transferring keeps the app's URL and deployments."
      }
    >
      {(control) => (
        <>
          <input
            {...control}
            value={canTransfer ? value : current}
            onChange={(event) => onChange(event.target.value)}
            disabled={!canTransfer}
            list={canTransfer ? listId : undefined}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            className={`${inputClass} font-mono disabled:opacity-70`}
          />
          {canTransfer && (
            <datalist id={listId}>
              {choices.map((choice) => (
                <option key={choice} value={choice} />
              ))}
            </datalist>
          )}
        </>
      )}
    </Field>
  );
}
