import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';
import { DomainsPanel } from '@/components/project-settings/domains-panel';

export const generateMetadata = projectTabMetadata('Domains');

export default async function DomainsPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'domains', (api, name) =>
    api.domain.list({ project: name }),
  );
  return <DomainsPanel project={project} initialDomains={data} />;
}
