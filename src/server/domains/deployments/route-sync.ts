import type { ProjectRoute } from '@/server/proxy/types';
import type { EngineDeps } from './engine-deps';
import type { RouteSource } from './engine-repos';
import { desiredRoute, routable } from './routing';

/**
 * Makes the project's route say what the database says (see `desiredRoute`), reading and writing
 * under the project's row lock. Every route write of a project goes through here, so traffic follows
 * the committed active deployment and moves exactly once per switch: a reconcile that read the
 * project before a deploy committed cannot write the older route after the deploy's.
 * Returns the route now in force, or null when there is none to write (project gone, no slot ports).
 */
export async function syncRoute(
  deps: Pick<EngineDeps, 'proxy' | 'settings' | 'repos'>,
  projectId: string,
  /** The project's deployment group (default: `default`). */
  group?: string,
): Promise<ProjectRoute | null> {
  return deps.repos.routeState.withLockedProject(projectId, (project) => writeRoute(deps, project), group);
}

/** Writes the route `project` (read under its row lock) calls for; null when there is none to write. */
export async function writeRoute(
  deps: Pick<EngineDeps, 'proxy' | 'settings'>,
  project: RouteSource | null,
): Promise<ProjectRoute | null> {
  if (!project || !routable(project, deps.settings)) return null;
  const route = desiredRoute(project, deps.settings);
  await deps.proxy.upsertRoute(route);
  return route;
}
