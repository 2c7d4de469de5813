'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import { canOnTeam } from '@/components/access/can';
import type { teamDetail } from '@/server/domains/teams/team.schema';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';
import { AddMemberForm } from './add-member-form';
import { DeleteTeamButton } from './delete-team-button';
import { MemberTable } from './member-table';
import { RoleBadge } from './role-badge';
import { TeamTitleForm } from './team-title-form';

type TeamDetail = z.infer<typeof teamDetail>;

const linkClass =
  'rounded text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300';

/**
 * A team's page: its members (editable by admins and owners), its projects (`projects`, rendered by the
 * server), its title and, for owners, the danger zone. Controls follow the caller's current role.
 */
export function TeamView({
  initialTeam,
  username,
  projects,
}: {
  initialTeam: TeamDetail;
  username: string | null;
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
      {query.isError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Could not refresh the team: {errorMessage(query.error)}
        </p>
      )}
      <MemberTable team={team} username={username} />
      {mayManage && <AddMemberForm team={team.name} mayGrantOwner={canOnTeam(team.role, 'team:delete')} />}
      {projects}
      {canOnTeam(team.role, 'team:update') && (
        <TeamTitleForm team={team.name} displayName={team.displayName} />
      )}
      {canOnTeam(team.role, 'team:delete') && (
        <section
          aria-labelledby="team-danger-zone"
          className="rounded-xl border border-red-300 bg-white p-4 sm:p-6 dark:border-red-900 dark:bg-zinc-900"
        >
          <h2 id="team-danger-zone" className="mb-2 text-lg font-semibold text-red-700 dark:text-red-300">
            Danger zone
          </h2>
          <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              Deleting the team removes all its memberships. A team that still owns projects cannot be
              deleted: delete them or transfer them to another owner first.
            </p>
            <DeleteTeamButton team={team.name} />
          </div>
        </section>
      )}
    </>
  );
}
