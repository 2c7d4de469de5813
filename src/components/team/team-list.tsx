'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { z } from 'zod';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { teamSummary } from '@/server/domains/teams/team.schema';
import { useTRPC } from '@/trpc/react';
import { RoleBadge } from './role-badge';

type TeamSummary = z.infer<typeof teamSummary>;

/** The teams the user belongs to, with their role and how many members and projects each has. */
export function TeamList({ initialTeams }: { initialTeams: TeamSummary[] }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.team.list.queryOptions(undefined, { initialData: initialTeams }));
  const teams = query.data ?? initialTeams;

  if (teams.length === 0) {
    return (
      <Card>
        <EmptyState title="You are in no team yet" command="rise team create devops">
          Teams share projects between people. Create one with <strong>New team</strong>, or from your
          terminal, then ask a team admin to add you to theirs:
        </EmptyState>
      </Card>
    );
  }

  return (
    <Card>
      <ErrorAlert error={query.error} prefix="Could not refresh the teams" className="mb-3" />
      <DataTable
        caption={`Your teams (${teams.length})`}
        minWidth="min-w-[32rem]"
        columns={[
          'Team',
          'Your role',
          { label: 'Members', numeric: true },
          { label: 'Projects', numeric: true },
          'Created',
        ]}
      >
        {teams.map((team) => (
          <tr key={team.name} data-testid={`team-${team.name}`} className={rowClass}>
            <td className={cellClass}>
              <Link href={`/teams/${team.name}`} className={`${linkClass} font-medium`}>
                {team.name}
              </Link>
              {team.displayName && (
                <div className="text-xs text-zinc-500 dark:text-zinc-400">{team.displayName}</div>
              )}
            </td>
            <td className={cellClass}>
              <RoleBadge role={team.role} />
            </td>
            <td className={`${cellClass} text-right tabular-nums`}>{team.memberCount}</td>
            <td className={`${cellClass} text-right tabular-nums`}>{team.projectCount}</td>
            <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
              <TimeAgo date={team.createdAt} />
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
