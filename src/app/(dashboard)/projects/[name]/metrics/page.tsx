import { MetricsPanel } from '@/components/metrics/metrics-panel';
import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';

export const generateMetadata = projectTabMetadata('Metrics');

export default async function MetricsPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'metrics', (api, name) =>
    api.metrics.series({ project: name, range: '1h' }),
  );
  return <MetricsPanel project={project.name} initialSeries={data} />;
}
