import { NotificationChannelsPanel } from '@/components/notifications/notification-channels-panel';
import { ProcessesPanel } from '@/components/processes/processes-panel';
import { loadProject } from '@/components/project/load-project';
import { type ProjectTabProps, projectTabMetadata } from '@/components/project/project-tab-page';
import { RegistryLoginsPanel } from '@/components/project-settings/registry-logins-panel';
import { SettingsPanel } from '@/components/project-settings/settings-panel';
import { canOnProject } from '@/server/domains/access/permissions';

export const generateMetadata = projectTabMetadata('Settings');

export default async function SettingsPage({ params }: ProjectTabProps) {
  const { name } = await params;
  const project = await loadProject(name);
  return (
    <SettingsPanel project={project}>
      <ProcessesPanel project={project.name} role={project.role} />
      <RegistryLoginsPanel project={project} />
      {canOnProject(project.role, 'project:update') && (
        <NotificationChannelsPanel owner={{ project: project.name }} />
      )}
    </SettingsPanel>
  );
}
