import type { Slot } from '@/generated/prisma/enums';
import type { ProjectRoute } from '@/server/proxy/types';
import {
  type PlatformHosts,
  platformHostsFromEnv,
  reservedHostnameReason,
} from '../custom-domains/reserved-hostnames';
import type { EngineSettings } from './engine-deps';

type RoutableProject = {
  id: string;
  name: string;
  port: number;
  healthPath: string;
  visibility: 'public' | 'private';
  slotPortA: number | null;
  slotPortB: number | null;
  /** Custom domains; only verified ones are routed. */
  domains: { hostname: string; verifiedAt: Date | null }[];
  activeDeploymentId?: string | null;
};

export const otherSlot = (slot: Slot): Slot => (slot === 'a' ? 'b' : 'a');

/** How the proxy reaches a slot: a host port, or the slot's alias on the Docker network. */
export function upstreamOf(project: RoutableProject, slot: Slot, settings: EngineSettings): string {
  if (settings.upstreamMode === 'network') return `rise-${project.name}-${slot}:${project.port}`;
  const port = slot === 'a' ? project.slotPortA : project.slotPortB;
  if (!port) throw new Error(`project ${project.name} has no host port for slot ${slot}`);
  return `127.0.0.1:${port}`;
}

/**
 * The hosts a project's route serves: `<name>.<base domain>` and its verified custom domains, never a
 * pending one (its owner has not proven it) nor one of Rise's own names (a row from before names were
 * checked), so no project can take traffic meant for Rise or for someone else's domain.
 */
export function routedHosts(
  project: Pick<RoutableProject, 'name' | 'domains'>,
  baseDomain: string,
  platform: PlatformHosts = platformHostsFromEnv(),
): string[] {
  const custom = project.domains
    .filter((domain) => domain.verifiedAt !== null)
    .map((domain) => domain.hostname)
    .filter((host) => reservedHostnameReason(host, { ...platform, baseDomain }) === null);
  // The default host stays even if it collides with Rise's own: the dashboard route comes first.
  return [`${project.name}.${baseDomain}`, ...custom];
}

export function routeFor(
  project: RoutableProject,
  state: 'running' | 'stopped',
  settings: EngineSettings,
  /** The deployment that serves the route; during a deploy, the new one (default: the project's active one). */
  activeDeploymentId: string | null = project.activeDeploymentId ?? null,
): ProjectRoute {
  return {
    project: project.name,
    hosts: routedHosts(project, settings.baseDomain),
    state,
    upstreams: [upstreamOf(project, 'a', settings), upstreamOf(project, 'b', settings)],
    healthPath: project.healthPath,
    visibility: project.visibility,
    activeDeploymentId: state === 'running' ? activeDeploymentId : null,
    port: project.port,
  };
}
