import type { Metadata } from 'next';
import { NotificationChannelsPanel } from '@/components/notifications/notification-channels-panel';
import { loadTeam } from '@/components/team/load-team';
import { TeamProjects } from '@/components/team/team-projects';
import { TeamView } from '@/components/team/team-view';
import { env } from '@/env';
import { canOnTeam } from '@/server/domains/access/permissions';

export const dynamic = 'force-dynamic';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name } = await params;
  return { title: `${name} · Teams · Rise` };
}

export default async function TeamPage({ params }: { params: Params }) {
  const { name } = await params;
  const { team, projects, username } = await loadTeam(name);
  return (
    <>
      <TeamView
        initialTeam={team}
        username={username}
        invitations={env.RISE_LOCAL_AUTH}
        projects={<TeamProjects team={team.name} projects={projects} />}
      />
      {canOnTeam(team.role, 'team:update') && <NotificationChannelsPanel owner={{ team: team.name }} />}
    </>
  );
}
