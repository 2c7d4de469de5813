import type { Metadata } from 'next';
import { DatabasesPanel } from '@/components/databases/databases-panel';
import { loadProject } from '@/components/project/load-project';
import { requireSignedIn } from '@/trpc/server';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Databases · ${name} · Rise` };
}

export default async function DatabasesPage({ params }: Props) {
  const { name } = await params;
  const project = await loadProject(name);
  const databases = await requireSignedIn(`/projects/${encodeURIComponent(name)}/databases`, (api) =>
    api.database.list({ project: project.name }),
  );
  return <DatabasesPanel project={project} initialDatabases={databases} />;
}
