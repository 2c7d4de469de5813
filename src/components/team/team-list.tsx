'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { z } from 'zod';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TimeAgo } from '@/components/ui/time-ago';
import type { teamSummary } from '@/server/domains/teams/team.schema';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';
import { RoleBadge } from './role-badge';

type TeamSummary = z.infer<typeof teamSummary>;

const linkClass =
  'rounded font-medium text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300';

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
      {query.isError && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
          Could not refresh the teams: {errorMessage(query.error)}
        </p>
      )}
      <div className="relative -mx-4 overflow-x-auto px-4 sm:-mx-6 sm:px-6">
        <table className="w-full min-w-[32rem] text-left text-sm">
          <caption className="sr-only">Your teams ({teams.length})</caption>
          <thead className="text-zinc-500 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                Team
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Your role
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-medium">
                Members
              </th>
              <th scope="col" className="py-2 pr-4 text-right font-medium">
                Projects
              </th>
              <th scope="col" className="py-2 font-medium">
                Created
              </th>
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr
                key={team.name}
                data-testid={`team-${team.name}`}
                className="border-t border-zinc-100 align-top dark:border-zinc-800"
              >
                <td className="py-2.5 pr-4">
                  <Link href={`/teams/${team.name}`} className={linkClass}>
                    {team.name}
                  </Link>
                  {team.displayName && (
                    <div className="text-xs text-zinc-500 dark:text-zinc-400">{team.displayName}</div>
                  )}
                </td>
                <td className="py-2.5 pr-4">
                  <RoleBadge role={team.role} />
                </td>
                <td className="py-2.5 pr-4 text-right tabular-nums">{team.memberCount}</td>
                <td className="py-2.5 pr-4 text-right tabular-nums">{team.projectCount}</td>
                <td className="py-2.5 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                  <TimeAgo date={team.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
