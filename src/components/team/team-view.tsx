'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import { InvitationsPanel } from '@/components/invitation/invitations-panel';
import { DangerZoneSection } from '@/components/ui/danger-zone-section';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import { canOnTeam } from '@/server/domains/access/permissions';
import type { teamDetail } from '@/server/domains/teams/team.schema';
import { useTRPC } from '@/trpc/react';
import { AddMemberForm } from './add-member-form';
import { DeleteTeamButton } from './delete-team-button';
import { MemberTable } from './member-table';
import { RoleBadge } from './role-badge';
import { TeamTitleForm } from './team-title-form';

type TeamDetail = z.infer<typeof teamDetail>;

/**
 * A team's page: its members (editable by admins and owners), its projects (`projects`, rendered by the
 * server), its title and, for owners, the danger zone. Controls follow the caller's current role.
 */
export function TeamView({
  initialTeam,
  username,
  invitations,
  projects,
}: {
  initialTeam: TeamDetail;
  username: string | null;
  /** Whether invitations to sign up exist here (local accounts are on). */
  invitations: boolean;
  projects: ReactNode;
}) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.team.get.queryOptions({ team: initialTeam.name }, { initialData: initialTeam }),
  );
  const team = query.data ?? initialTeam;
  const mayManage = canOnTeam(team.role, 'team:members');

  return (
    <>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold break-all">{team.name}</h1>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
          {team.displayName && (
            <span className="font-medium text-zinc-800 dark:text-zinc-200">{team.displayName}</span>
          )}
          <span>
            Owner reference <code className="font-mono">team:{team.name}</code>
          </span>
          <span aria-hidden="true">·</span>
          <span className="inline-flex items-center gap-1">
            Your role <RoleBadge role={team.role} />
          </span>
          <span aria-hidden="true">·</span>
          <Link href={`/audit?team=${encodeURIComponent(team.name)}`} className={linkClass}>
            Audit log
          </Link>
        </p>
      </div>
      <ErrorAlert error={query.error} prefix="Could not refresh the team" />
      <MemberTable team={team} username={username} />
      {mayManage && <AddMemberForm team={team.name} mayGrantOwner={canOnTeam(team.role, 'team:delete')} />}
      {mayManage && invitations && (
        <InvitationsPanel team={team.name} mayGrantOwner={canOnTeam(team.role, 'team:delete')} />
      )}
      {projects}
      {canOnTeam(team.role, 'team:update') && (
        <TeamTitleForm team={team.name} displayName={team.displayName} />
      )}
      {canOnTeam(team.role, 'team:delete') && (
        <DangerZoneSection
          titleId="team-danger-zone"
          description={
            <>
              Deleting the team removes all its memberships. A team that still owns projects cannot be
              deleted: delete them or transfer them to another owner first.
            </>
          }
          action={<DeleteTeamButton team={team.name} />}
        />
      )}
    </>
  );
}
