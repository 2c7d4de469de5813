import type { Metadata } from 'next';
import { NewTeamDialog } from '@/components/team/new-team-dialog';
import { TeamList } from '@/components/team/team-list';
import { requireSignedIn } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Teams · Rise' };

export default async function TeamsPage() {
  const teams = await requireSignedIn('/teams', (api) => api.team.list());
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Teams</h1>
        <NewTeamDialog />
      </div>
      <TeamList initialTeams={teams} />
    </>
  );
}
