import { PreviewsPanel } from '@/components/previews/previews-panel';
import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';

export const generateMetadata = projectTabMetadata('Previews');

export default async function PreviewsPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'previews', (api, name) =>
    api.deployment.groups({ project: name }),
  );
  return <PreviewsPanel project={project} initialPreviews={data} />;
}
