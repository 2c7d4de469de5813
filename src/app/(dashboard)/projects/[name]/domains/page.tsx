import type { Metadata } from 'next';
import { loadProject } from '@/components/project/load-project';
import { DomainsPanel } from '@/components/project-settings/domains-panel';
import { requireSignedIn } from '@/trpc/server';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Domains · ${name} · Rise` };
}

export default async function DomainsPage({ params }: Props) {
  const { name } = await params;
  const project = await loadProject(name);
  const domains = await requireSignedIn(`/projects/${encodeURIComponent(name)}/domains`, (api) =>
    api.domain.list({ project: project.name }),
  );
  return <DomainsPanel project={project} initialDomains={domains} />;
}
