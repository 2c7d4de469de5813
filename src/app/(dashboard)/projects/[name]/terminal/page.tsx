import { loadProject } from '@/components/project/load-project';
import { type ProjectTabProps, projectTabMetadata } from '@/components/project/project-tab-page';
import { ProjectTerminal } from '@/components/terminal/project-terminal';
import { EmptyState } from '@/components/ui/empty-state';
import { canOnProject, PROJECT_ACTIONS } from '@/server/domains/access/permissions';

export const generateMetadata = projectTabMetadata('Terminal');

export default async function TerminalPage({ params }: ProjectTabProps) {
  const { name } = await params;
  const project = await loadProject(name);
  if (!canOnProject(project.role, 'project:exec')) {
    return (
      <EmptyState title="The terminal needs the admin role">
        A shell in an app reads its secrets: your role on {project.name} is {project.role}, the terminal needs{' '}
        {PROJECT_ACTIONS['project:exec']} or above.
      </EmptyState>
    );
  }
  return <ProjectTerminal project={project.name} />;
}
