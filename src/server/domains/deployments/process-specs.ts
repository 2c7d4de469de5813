import type { InstanceSpec } from '@/server/runtime/types';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { readProcesses } from '@/shared/processes/process.schema';

type ProcessProject = {
  group?: string;
  replicas?: number;
  processes?: unknown;
  cpuLimit: number | null;
  memoryLimitMb: number | null;
};

const isPreview = (project: ProcessProject) => (project.group ?? DEFAULT_GROUP) !== DEFAULT_GROUP;

/** How many web instances a deployment of `project` runs: its `replicas` (at least one); a preview: one. */
export function webReplicasWanted(project: ProcessProject): number {
  return isPreview(project) ? 1 : Math.max(1, project.replicas ?? 1);
}

/**
 * The project's processes besides web, each as the spec of its instances: the web spec's image, env,
 * network, slot and volumes, with the process's own command, replicas and limits (the project's where
 * it sets none), no host port and no alias. A preview runs at most one instance of each.
 */
export function otherProcessSpecs(project: ProcessProject, web: InstanceSpec): InstanceSpec[] {
  return Object.entries(readProcesses(project.processes)).map(([process, settings]) => ({
    ...web,
    process,
    replicas: isPreview(project) ? Math.min(1, settings.replicas) : settings.replicas,
    command: settings.command,
    cpuLimit: settings.cpuLimit ?? project.cpuLimit,
    memoryLimitMb: settings.memoryLimitMb ?? project.memoryLimitMb,
    hostPort: null,
    replicaHostPorts: undefined,
  }));
}
