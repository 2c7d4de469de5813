import { useQuery } from '@tanstack/react-query';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';

/**
 * The project of a settings tab, starting from what the server rendered and kept fresh by React Query
 * (the same cache entry as every other `project.get` of this project, so a save shows up everywhere).
 */
export function useProject(initial: ProjectDetail): ProjectDetail {
  const trpc = useTRPC();
  const query = useQuery(trpc.project.get.queryOptions({ project: initial.name }, { initialData: initial }));
  return query.data ?? initial;
}

/** The hostname apps are reached at by default, e.g. `my-app.rise.example.com`, and its base domain. */
export function defaultHost(project: Pick<ProjectDetail, 'name' | 'url'>) {
  const url = new URL(project.url);
  const base = url.hostname.startsWith(`${project.name}.`)
    ? url.hostname.slice(project.name.length + 1)
    : url.hostname;
  return { hostname: url.hostname, port: url.port, protocol: url.protocol, baseDomain: base };
}
