'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { RoleOptions } from '@/components/team/role-options';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import type { Role } from '@/server/domains/access/permissions';
import { useTRPC } from '@/trpc/react';

/** Adds a user (username, user:<name> or email) to the team; an existing member gets the new role. */
export function AddMemberForm({ team, mayGrantOwner }: { team: string; mayGrantOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [user, setUser] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [submitted, setSubmitted] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation(
    trpc.team.addMember.mutationOptions({
      onSuccess: async (_team, input) => {
        await queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
        setAdded(`Added ${input.user.replace(/^user:/, '')} as ${input.role}.`);
        setUser('');
        setSubmitted(false);
      },
    }),
  );

  const trimmed = user.trim();
  const userError = submitted && trimmed === '' ? 'Enter a username or email.' : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setAdded(null);
    if (trimmed === '') return;
    add.mutate({ team, user: trimmed, role });
  }

  return (
    <Card title="Add a member">
      <form onSubmit={submit} noValidate aria-label="Add a member" className="flex flex-col gap-3">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <div className="flex-1">
            <TextField
              label="Username"
              error={userError}
              hint="ada, user:ada or an email; they must have signed in to Rise once."
              value={user}
              onChange={setUser}
              verbatim
              placeholder="ada"
            />
          </div>
          <div className="sm:w-44">
            <SelectField
              label="Role"
              hint={mayGrantOwner ? undefined : 'Only owners can add owners.'}
              value={role}
              onChange={setRole}
            >
              <RoleOptions mayGrantOwner={mayGrantOwner} />
            </SelectField>
          </div>
          <div className="sm:pt-6">
            <SubmitButton pending={add.isPending} pendingLabel="Adding…" className="w-full sm:w-auto">
              Add member
            </SubmitButton>
          </div>
        </div>
        <ErrorAlert error={add.error} />
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {added}
        </p>
      </form>
    </Card>
  );
}
