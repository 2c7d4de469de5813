import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';
import { EnvVarsPanel } from '@/components/project-settings/env-vars-panel';

export const generateMetadata = projectTabMetadata('Environment');

export default async function EnvironmentPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'env', (api, name) =>
    api.env.list({ project: name }),
  );
  return <EnvVarsPanel project={project} initialVars={data} />;
}
