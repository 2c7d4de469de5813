import { DatabasesPanel } from '@/components/databases/databases-panel';
import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';

export const generateMetadata = projectTabMetadata('Databases');

export default async function DatabasesPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'databases', (api, name) =>
    api.database.list({ project: name }),
  );
  return <DatabasesPanel project={project} initialDatabases={data} />;
}
