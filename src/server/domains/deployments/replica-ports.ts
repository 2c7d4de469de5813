import type { Slot } from '@/generated/prisma/enums';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import type { ReplicaPortRow } from './engine-repos';
import { ATTEMPTS, freePorts, oneAllocationAtATime, type PortDeps } from './port-allocation';

type ReplicaPortsProject = { id: string; name: string; group?: string; replicaPorts?: ReplicaPortRow[] };

/** The host ports of web replicas 1…`replicas`-1 of `slot`, in order; a replica without one is left out. */
export function replicaPortsOf(
  project: Pick<ReplicaPortsProject, 'replicaPorts'>,
  slot: Slot,
  replicas: number,
): number[] {
  const ports: number[] = [];
  for (let replica = 1; replica < replicas; replica++) {
    const row = project.replicaPorts?.find((held) => held.slot === slot && held.replica === replica);
    if (row) ports.push(row.port);
  }
  return ports;
}

/**
 * Host mode: gives web replicas 1…`replicas`-1 of the project's `slot` a host port each from
 * RISE_APP_PORT_RANGE, once (they keep it, like slot ports, across deploys and scaling). Returns the
 * project with its replica ports. Preview groups run one replica and need none.
 */
export async function ensureReplicaPorts<P extends ReplicaPortsProject>(
  project: P,
  slot: Slot,
  replicas: number,
  deps: PortDeps,
): Promise<P> {
  if (deps.settings.upstreamMode === 'network' || (project.group ?? DEFAULT_GROUP) !== DEFAULT_GROUP) {
    return project;
  }
  if (replicaPortsOf(project, slot, replicas).length === Math.max(0, replicas - 1)) return project;
  return oneAllocationAtATime(async () => {
    let rows = [...(project.replicaPorts ?? [])];
    for (let replica = 1; replica < replicas; replica++) {
      if (rows.some((row) => row.slot === slot && row.replica === replica)) continue;
      rows = [...rows, { slot, replica, port: await allocate(project, slot, replica, deps) }];
    }
    return { ...project, replicaPorts: rows };
  });
}

/** Moves web replica `replica` of `slot` off host port `taken` (held by something else since). */
export async function moveReplicaPort<P extends ReplicaPortsProject>(
  project: P,
  slot: Slot,
  replica: number,
  taken: number,
  deps: PortDeps,
): Promise<P> {
  return oneAllocationAtATime(async () => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [port] = (await freePorts(deps, 1, taken)) as [number];
      if (await deps.repos.projects.replaceReplicaPort(project.id, slot, replica, taken, port)) {
        const replicaPorts = (project.replicaPorts ?? []).map((row) =>
          row.slot === slot && row.replica === replica ? { ...row, port } : row,
        );
        return { ...project, replicaPorts };
      }
    }
    throw new Error(`could not move web replica ${replica} of ${project.name} off host port ${taken}`);
  });
}

async function allocate(
  project: ReplicaPortsProject,
  slot: Slot,
  replica: number,
  deps: PortDeps,
): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [port] = (await freePorts(deps, 1)) as [number];
    if (await deps.repos.projects.addReplicaPort(project.id, slot, replica, port)) return port;
    // Another worker gave this replica a port first: use it.
    const current = await deps.repos.projects.findForDeploy(project.id);
    const held = current?.replicaPorts?.find((row) => row.slot === slot && row.replica === replica);
    if (held) return held.port;
  }
  throw new Error(`could not allocate a host port for web replica ${replica} of ${project.name}`);
}
