import {
  loadProjectTab,
  type ProjectTabProps,
  projectTabMetadata,
} from '@/components/project/project-tab-page';
import { VolumesPanel } from '@/components/volumes/volumes-panel';

export const generateMetadata = projectTabMetadata('Volumes');

export default async function VolumesPage({ params }: ProjectTabProps) {
  const { project, data } = await loadProjectTab(params, 'volumes', (api, name) =>
    api.volume.list({ project: name }),
  );
  return <VolumesPanel project={project} initialVolumes={data} />;
}
