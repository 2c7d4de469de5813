import { GitSourcePanel } from '@/components/git-source/git-source-panel';
import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';

export const generateMetadata = projectTabMetadata('Source');

export default async function SourcePage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'source', (api, name) =>
    api.gitSource.get({ project: name }),
  );
  return <GitSourcePanel project={project} initialSource={data} />;
}
