'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { RoleOptions } from '@/components/team/role-options';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { RemoveButton } from '@/components/ui/remove-button';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { actionsColumn, cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TextField } from '@/components/ui/text-field';
import { TimeAgo } from '@/components/ui/time-ago';
import type { Role } from '@/server/domains/access/permissions';
import { useTRPC } from '@/trpc/react';

/**
 * Invitations to sign up: pending ones, a form to invite someone by email and the new link, shown
 * once. With `team`, invitations into that team (team admins); without, the platform's (admins).
 */
export function InvitationsPanel({
  team,
  mayGrantOwner = false,
}: {
  team?: string;
  mayGrantOwner?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const list = useQuery(
    team ? trpc.invitation.listForTeam.queryOptions({ team }) : trpc.invitation.list.queryOptions(),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.invitation.pathKey() });
  const onCreated = async (created: { email: string; link: string }) => {
    setLink({ email: created.email, url: created.link });
    setCopied(null);
    setEmail('');
    await refresh();
  };
  const createForTeam = useMutation(trpc.invitation.createForTeam.mutationOptions({ onSuccess: onCreated }));
  const createForPlatform = useMutation(trpc.invitation.create.mutationOptions({ onSuccess: onCreated }));
  const create = team ? createForTeam : createForPlatform;
  const revokeForTeam = useMutation(trpc.invitation.revokeForTeam.mutationOptions({ onSuccess: refresh }));
  const revokeForPlatform = useMutation(trpc.invitation.revoke.mutationOptions({ onSuccess: refresh }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setLink(null);
    const address = email.trim();
    if (team) createForTeam.mutate({ team, email: address, role });
    else createForPlatform.mutate({ email: address });
  }

  const revoke = (id: string) =>
    team ? revokeForTeam.mutateAsync({ team, id }) : revokeForPlatform.mutateAsync({ id });

  return (
    <Card title="Invitations" titleId={team ? 'team-invitations' : 'platform-invitations'}>
      <form
        onSubmit={submit}
        aria-label="Invite someone"
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
      >
        <div className="flex-1">
          <TextField
            label="Email to invite"
            hint="They sign up with this address through the link."
            type="email"
            required
            value={email}
            onChange={setEmail}
            autoComplete="off"
            placeholder="ada@example.com"
          />
        </div>
        {team && (
          <div className="sm:w-44">
            <SelectField label="Role of the invitee" value={role} onChange={setRole}>
              <RoleOptions mayGrantOwner={mayGrantOwner} />
            </SelectField>
          </div>
        )}
        <SubmitButton pending={create.isPending} pendingLabel="Inviting…">
          Invite
        </SubmitButton>
      </form>
      <ErrorAlert error={create.error} />
      {link && (
        <div className="mt-3 flex flex-col gap-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
          <p>Send this link to {link.email}; it is shown only now and works once, for 7 days.</p>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <code
              data-testid="invitation-link"
              className="min-w-0 flex-1 rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs break-all select-all dark:border-zinc-700 dark:bg-zinc-950"
            >
              {link.url}
            </code>
            <Button
              onClick={() =>
                navigator.clipboard.writeText(link.url).then(
                  () => setCopied('yes'),
                  () => setCopied('failed'),
                )
              }
            >
              {copied === 'yes' ? 'Copied' : 'Copy link'}
            </Button>
          </div>
          <p role="status" className="text-xs">
            {copied === 'failed' ? 'Could not copy: select the link and copy it by hand.' : ''}
          </p>
        </div>
      )}
      <ErrorAlert error={list.error ?? revokeForTeam.error ?? revokeForPlatform.error} />
      {list.data && list.data.length > 0 && (
        <div className="mt-4">
          <DataTable
            caption={`Pending invitations (${list.data.length})`}
            minWidth="min-w-[36rem]"
            columns={['Email', ...(team ? [] : ['Team']), 'Role', 'Invited by', 'Expires', actionsColumn]}
          >
            {list.data.map((invitation) => (
              <tr key={invitation.id} className={rowClass}>
                <td className={cellClass}>{invitation.email}</td>
                {!team && <td className={cellClass}>{invitation.team ?? '—'}</td>}
                <td className={cellClass}>{invitation.role ?? '—'}</td>
                <td className={cellClass}>{invitation.invitedBy}</td>
                <td className={cellClass}>
                  <TimeAgo date={invitation.expiresAt} />
                </td>
                <td className={cellClass}>
                  <RemoveButton
                    item={invitation.email}
                    title={`Revoke the invitation of ${invitation.email}?`}
                    description="The link stops working; you can invite them again later."
                    onConfirm={() => revoke(invitation.id)}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
      {list.data?.length === 0 && (
        <p className="mt-3 text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
      )}
    </Card>
  );
}
