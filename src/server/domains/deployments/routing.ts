import type { Slot } from '@/generated/prisma/enums';
import type { ProjectRoute } from '@/server/proxy/types';
import { projectRepo } from '../projects/project.repo';
import type { EngineSettings } from './engine-deps';

type RoutableProject = {
  id: string;
  name: string;
  port: number;
  healthPath: string;
  visibility: 'public' | 'private';
  slotPortA: number | null;
  slotPortB: number | null;
  domains: { hostname: string }[];
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

export function routeFor(
  project: RoutableProject,
  state: 'running' | 'stopped',
  settings: EngineSettings,
  /** The deployment that serves the route; during a deploy, the new one (default: the project's active one). */
  activeDeploymentId: string | null = project.activeDeploymentId ?? null,
): ProjectRoute {
  return {
    project: project.name,
    hosts: [`${project.name}.${settings.baseDomain}`, ...project.domains.map((domain) => domain.hostname)],
    state,
    upstreams: [upstreamOf(project, 'a', settings), upstreamOf(project, 'b', settings)],
    healthPath: project.healthPath,
    visibility: project.visibility,
    activeDeploymentId: state === 'running' ? activeDeploymentId : null,
    port: project.port,
  };
}

/** Gives a project two host ports from the configured range, once; later calls return the same pair. */
export async function ensureSlotPorts<P extends RoutableProject>(
  project: P,
  settings: EngineSettings,
): Promise<P> {
  if (settings.upstreamMode === 'network' || (project.slotPortA && project.slotPortB)) return project;
  for (let attempt = 0; attempt < 5; attempt++) {
    const used = await projectRepo.usedSlotPorts();
    const [first, last] = settings.portRange;
    const free: number[] = [];
    for (let port = first; port <= last && free.length < 2; port++) if (!used.has(port)) free.push(port);
    if (free.length < 2) throw new Error(`no free ports left in RISE_APP_PORT_RANGE ${first}-${last}`);
    try {
      if (await projectRepo.setSlotPorts(project.id, [free[0]!, free[1]!])) {
        return { ...project, slotPortA: free[0]!, slotPortB: free[1]! };
      }
      const current = await projectRepo.findForDeploy(project.id);
      if (current?.slotPortA && current.slotPortB) {
        return { ...project, slotPortA: current.slotPortA, slotPortB: current.slotPortB };
      }
    } catch {
      // Another project took one of these ports at the same moment (unique index): pick again.
    }
  }
  throw new Error(`could not allocate slot ports for ${project.name}`);
}
