import type { Metadata } from 'next';
import { loadProject } from '@/components/project/load-project';
import { RegistryLoginsPanel } from '@/components/project-settings/registry-logins-panel';
import { SettingsPanel } from '@/components/project-settings/settings-panel';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Settings · ${name} · Rise` };
}

export default async function SettingsPage({ params }: Props) {
  const { name } = await params;
  const project = await loadProject(name);
  return (
    <SettingsPanel project={project}>
      <RegistryLoginsPanel project={project} />
    </SettingsPanel>
  );
}
