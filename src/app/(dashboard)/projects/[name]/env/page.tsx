import type { Metadata } from 'next';
import { loadProject } from '@/components/project/load-project';
import { EnvVarsPanel } from '@/components/project-settings/env-vars-panel';
import { requireSignedIn } from '@/trpc/server';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Environment · ${name} · Rise` };
}

export default async function EnvironmentPage({ params }: Props) {
  const { name } = await params;
  const project = await loadProject(name);
  const vars = await requireSignedIn(`/projects/${encodeURIComponent(name)}/env`, (api) =>
    api.env.list({ project: project.name }),
  );
  return <EnvVarsPanel project={project} initialVars={vars} />;
}
