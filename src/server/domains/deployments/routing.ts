import type { DeploymentStatus, Slot } from '@/generated/prisma/enums';
import type { ProjectRoute } from '@/server/proxy/types';
import { DEFAULT_GROUP, groupKey, groupSlug } from '@/shared/deployment-groups';
import {
  type PlatformHosts,
  platformHostsFromEnv,
  reservedHostnameReason,
} from '../custom-domains/reserved-hostnames';
import type { EngineSettings } from './engine-deps';
import type { ReplicaPortRow } from './engine-repos';
import { replicaPortsOf } from './replica-ports';
import { LIVE } from './state-machine';

type RoutableProject = {
  id: string;
  name: string;
  /** Deployment group (absent: `default`). */
  group?: string;
  /** A non-default group's host (see EngineProject.groupHost). */
  groupHost?: string | null;
  port: number;
  healthPath: string;
  visibility: 'public' | 'private';
  slotPortA: number | null;
  slotPortB: number | null;
  replicaPorts?: ReplicaPortRow[];
  /** Custom domains; only verified ones are routed. */
  domains: { hostname: string; verifiedAt: Date | null }[];
  activeDeployment?: ActiveDeployment | null;
};

/** The deployment a running route sends traffic to, and over how many of its web replicas (absent: 1). */
export type ActiveDeployment = { id: string; slot: Slot | null; webReplicas?: number };

export const otherSlot = (slot: Slot): Slot => (slot === 'a' ? 'b' : 'a');

/** How the proxy reaches a slot: a host port, or the slot's alias on the Docker network. */
export function upstreamOf(project: RoutableProject, slot: Slot, settings: EngineSettings): string {
  if (settings.upstreamMode === 'network') {
    // The slot's alias on the project's Docker network (the Docker runtime's `slotAlias`).
    return `rise-${groupKey(project.name, groupSlug(project.group ?? DEFAULT_GROUP))}-${slot}:${project.port}`;
  }
  const port = slot === 'a' ? project.slotPortA : project.slotPortB;
  if (!port) throw new Error(`project ${project.name} has no host port for slot ${slot}`);
  return `127.0.0.1:${port}`;
}

/**
 * Where web replicas 1…`replicas`-1 of a slot answer: their aliases on the project's network, or their
 * host ports (a replica without one yet is left out: nothing of it could answer).
 */
export function replicaUpstreamsOf(
  project: RoutableProject,
  slot: Slot,
  replicas: number,
  settings: EngineSettings,
): string[] {
  if (settings.upstreamMode === 'host') {
    return replicaPortsOf(project, slot, replicas).map((port) => `127.0.0.1:${port}`);
  }
  const alias = `rise-${groupKey(project.name, groupSlug(project.group ?? DEFAULT_GROUP))}-${slot}`;
  return Array.from(
    { length: Math.max(0, replicas - 1) },
    (_, index) => `${alias}-${index + 1}:${project.port}`,
  );
}

/**
 * The hosts a project's route serves: `<name>.<base domain>` and its verified custom domains, never a
 * pending one (its owner has not proven it) nor one of Rise's own names (a row from before names were
 * checked), so no project can take traffic meant for Rise or for someone else's domain.
 */
export function routedHosts(
  project: Pick<RoutableProject, 'name' | 'domains' | 'group' | 'groupHost'>,
  baseDomain: string,
  platform: PlatformHosts = platformHostsFromEnv(),
): string[] {
  // A preview group answers at its own host only: custom domains stay on the default group.
  if (project.group && project.group !== DEFAULT_GROUP) return project.groupHost ? [project.groupHost] : [];
  const custom = project.domains
    .filter((domain) => domain.verifiedAt !== null)
    .map((domain) => domain.hostname)
    .filter((host) => reservedHostnameReason(host, { ...platform, baseDomain }) === null);
  // The default host stays even if it collides with Rise's own: the dashboard route comes first.
  return [`${project.name}.${baseDomain}`, ...custom];
}

/**
 * The route of `project` in `state`. Running: to `active`'s slot (default: the project's active
 * deployment); without an active deployment in a slot there is nothing to send traffic to, so the
 * route is the stopped page.
 */
export function routeFor(
  project: RoutableProject,
  state: 'running' | 'stopped',
  settings: EngineSettings,
  active: ActiveDeployment | null = project.activeDeployment ?? null,
): ProjectRoute {
  const running =
    state === 'running' && active?.slot
      ? { id: active.id, slot: active.slot, replicas: active.webReplicas ?? 1 }
      : null;
  const replicaUpstreams = running
    ? replicaUpstreamsOf(project, running.slot, running.replicas, settings)
    : [];
  const group = project.group ?? DEFAULT_GROUP;
  return {
    project: project.name,
    ...(group === DEFAULT_GROUP ? {} : { group: groupSlug(group) }),
    hosts: routedHosts(project, settings.baseDomain),
    state: running ? 'running' : 'stopped',
    upstream: running ? upstreamOf(project, running.slot, settings) : null,
    ...(replicaUpstreams.length ? { replicaUpstreams } : {}),
    healthPath: project.healthPath,
    visibility: project.visibility,
    activeDeploymentId: running?.id ?? null,
    port: project.port,
  };
}

/**
 * The route the database asks for: the active deployment's slot while the project should run and
 * that deployment is live, else the stopped page.
 */
export function desiredRoute(
  project: RoutableProject & {
    desiredState: 'running' | 'stopped';
    activeDeployment: (ActiveDeployment & { status: DeploymentStatus }) | null;
  },
  settings: EngineSettings,
): ProjectRoute {
  const active = project.activeDeployment;
  const live = active !== null && LIVE.includes(active.status);
  return routeFor(project, project.desiredState === 'running' && live ? 'running' : 'stopped', settings);
}

/** Whether the project can have a route yet (host mode: once it has been given its slot ports). */
export function routable(
  project: Pick<RoutableProject, 'slotPortA' | 'slotPortB'>,
  settings: EngineSettings,
): boolean {
  return settings.upstreamMode === 'network' || (project.slotPortA !== null && project.slotPortB !== null);
}
