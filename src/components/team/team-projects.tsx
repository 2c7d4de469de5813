import Link from 'next/link';
import { PreviewsBadge } from '@/components/project/previews-badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { linkClass } from '@/components/ui/link-class';
import { StatusBadge } from '@/components/ui/status-badge';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { ProjectSummary } from '@/server/domains/projects/project.schema';

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
        <DataTable
          caption={`Projects of team ${team}`}
          minWidth="min-w-[28rem]"
          columns={['Project', 'Status', 'Visibility', 'Last deployment']}
        >
          {projects.map((project) => (
            <tr key={project.name} className={rowClass}>
              <td className={cellClass}>
                <span className="flex flex-wrap items-center gap-2">
                  <Link href={`/projects/${project.name}`} className={`${linkClass} font-medium`}>
                    {project.name}
                  </Link>
                  <PreviewsBadge project={project.name} count={project.previews} />
                </span>
              </td>
              <td className={cellClass}>
                <StatusBadge status={project.status} />
              </td>
              <td className={cellClass}>{project.visibility}</td>
              <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                {project.lastDeployment ? (
                  <TimeAgo date={project.lastDeployment.createdAt} />
                ) : (
                  'never deployed'
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
