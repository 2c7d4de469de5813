import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { TimeAgo } from '@/components/ui/time-ago';
import type { ProjectSummary } from '@/server/domains/projects/project.schema';

const linkClass =
  'rounded font-medium text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300';

/** The projects a team owns, as the project list shows them. */
export function TeamProjects({ team, projects }: { team: string; projects: ProjectSummary[] }) {
  return (
    <Card title={`Projects (${projects.length})`}>
      {projects.length === 0 ? (
        <EmptyState
          title="This team owns no projects yet"
          command={`rise project create my-app --owner team:${team}`}
        >
          Create one with <strong>New project</strong> on the Projects page and owner{' '}
          <code className="font-mono">team:{team}</code>, or from your terminal:
        </EmptyState>
      ) : (
        <div className="relative -mx-4 overflow-x-auto px-4 sm:-mx-6 sm:px-6">
          <table className="w-full min-w-[28rem] text-left text-sm">
            <caption className="sr-only">Projects of team {team}</caption>
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Project
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Status
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Visibility
                </th>
                <th scope="col" className="py-2 font-medium">
                  Last deployment
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.map((project) => (
                <tr key={project.name} className="border-t border-zinc-100 dark:border-zinc-800">
                  <td className="py-2.5 pr-4">
                    <Link href={`/projects/${project.name}`} className={linkClass}>
                      {project.name}
                    </Link>
                  </td>
                  <td className="py-2.5 pr-4">
                    <StatusBadge status={project.status} />
                  </td>
                  <td className="py-2.5 pr-4">{project.visibility}</td>
                  <td className="py-2.5 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                    {project.lastDeployment ? (
                      <TimeAgo date={project.lastDeployment.createdAt} />
                    ) : (
                      'never deployed'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
