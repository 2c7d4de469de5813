import 'server-only';
import type { Metadata } from 'next';
import { requireSignedIn, type serverApi } from '@/trpc/server';
import { loadProject } from './load-project';

export type ProjectTabProps = { params: Promise<{ name: string }> };

/** The `generateMetadata` of a /projects/<name>/<tab> page: "<title> · <name> · Rise". */
export function projectTabMetadata(title: string) {
  return async ({ params }: ProjectTabProps): Promise<Metadata> => {
    const { name } = await params;
    return { title: `${title} · ${name} · Rise` };
  };
}

/**
 * The project of a /projects/<name>/<tab> page and what the tab lists (`load`), read as the signed-in
 * user; signing in returns to the tab.
 */
export async function loadProjectTab<T>(
  params: ProjectTabProps['params'],
  tab: string,
  load: (api: Awaited<ReturnType<typeof serverApi>>, project: string) => Promise<T>,
) {
  const { name } = await params;
  const project = await loadProject(name);
  const data = await requireSignedIn(`/projects/${encodeURIComponent(name)}/${tab}`, (api) =>
    load(api, project.name),
  );
  return { project, data };
}
