import { CronPanel } from '@/components/cron/cron-panel';
import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';

export const generateMetadata = projectTabMetadata('Cron jobs');

export default async function CronPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'cron', (api, name) =>
    api.cron.list({ project: name }),
  );
  return <CronPanel project={project} initialJobs={data} />;
}
