import { Card } from '@/components/ui/card';
import { requireSignedIn } from '@/trpc/server';

export const dynamic = 'force-dynamic';

const statusColor: Record<string, string> = {
  running: 'bg-emerald-100 text-emerald-900',
  deploying: 'bg-sky-100 text-sky-900',
  stopped: 'bg-zinc-200 text-zinc-800',
  failed: 'bg-red-100 text-red-900',
};

export default async function DashboardPage() {
  const { me, projects, teams } = await requireSignedIn('/', async (api) => {
    const me = await api.me();
    const [projects, teams] = await Promise.all([
      api.project.list(),
      me.kind === 'user' ? api.team.list() : [],
    ]);
    return { me, projects, teams };
  });
  if (me.kind !== 'user') return null;

  return (
    <>
      <h1 className="text-2xl font-semibold">Projects</h1>
      <Card>
        {projects.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No projects yet. Create one from your terminal:{' '}
            <code className="rounded bg-zinc-100 px-1.5 py-0.5 dark:bg-zinc-800">rise p c my-app</code>
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-zinc-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">Project</th>
                  <th className="py-2 pr-4 font-medium">Status</th>
                  <th className="py-2 pr-4 font-medium">URL</th>
                  <th className="py-2 pr-4 font-medium">Visibility</th>
                  <th className="py-2 font-medium">Owner</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((project) => (
                  <tr key={project.name} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-2 pr-4 font-medium">{project.name}</td>
                    <td className="py-2 pr-4">
                      <span className={`rounded px-2 py-0.5 text-xs ${statusColor[project.status]}`}>
                        {project.status}
                      </span>
                    </td>
                    <td className="py-2 pr-4">
                      <a className="text-indigo-600 hover:underline dark:text-indigo-400" href={project.url}>
                        {project.url}
                      </a>
                    </td>
                    <td className="py-2 pr-4">{project.visibility}</td>
                    <td className="py-2">{project.owner}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <h2 className="text-xl font-semibold">Teams</h2>
      <Card>
        {teams.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            You are in no team yet. Create one: <code>rise t c devops</code>
          </p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {teams.map((team) => (
              <li key={team.name}>
                <span className="font-medium">{team.name}</span>{' '}
                <span className="text-zinc-500">
                  {team.role} · {team.memberCount} members · {team.projectCount} projects
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
