import type { Slot } from '@/generated/prisma/enums';
import { HostPortInUseError, type InstanceSpec } from '@/server/runtime/types';
import type { EngineDeps } from './engine-deps';
import type { ReplicaPortRow } from './engine-repos';
import { ATTEMPTS, freePorts, oneAllocationAtATime, type PortDeps } from './port-allocation';
import { moveReplicaPort, replicaPortsOf } from './replica-ports';

type SlotPorts = {
  id: string;
  replicaPorts?: ReplicaPortRow[];
  name: string;
  /** The deployment group whose slots these are (absent: `default`). */
  group?: string;
  slotPortA: number | null;
  slotPortB: number | null;
};

type Log = (text: string, level: 'info' | 'warn' | 'error') => Promise<unknown>;

export function slotPortOf(project: SlotPorts, slot: Slot): number | null {
  return slot === 'a' ? project.slotPortA : project.slotPortB;
}

/** Both slots' ports, for the instance to show as held (see InstanceSpec.slotHostPorts). */
export function slotHostPorts(project: Pick<SlotPorts, 'slotPortA' | 'slotPortB'>): number[] {
  return [project.slotPortA, project.slotPortB].filter((port): port is number => port !== null);
}

/** Gives a project's group two host ports from the configured range, once; later calls return the same pair. */
export async function ensureSlotPorts<P extends SlotPorts>(project: P, deps: PortDeps): Promise<P> {
  if (deps.settings.upstreamMode === 'network' || (project.slotPortA && project.slotPortB)) return project;
  return oneAllocationAtATime(() => allocateSlotPorts(project, deps));
}

async function allocateSlotPorts<P extends SlotPorts>(project: P, deps: PortDeps): Promise<P> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [portA, portB] = (await freePorts(deps, 2)) as [number, number];
    if (await deps.repos.projects.setSlotPorts(project.id, [portA, portB], project.group)) {
      return { ...project, slotPortA: portA, slotPortB: portB };
    }
    const current = await deps.repos.projects.findForDeploy(project.id, project.group);
    if (current?.slotPortA && current.slotPortB) {
      return { ...project, slotPortA: current.slotPortA, slotPortB: current.slotPortB };
    }
  }
  throw new Error(`could not allocate slot ports for ${project.name}`);
}

/**
 * Starts the instance. When its slot's host port was taken after the slot got it (another
 * installation's container on the same engine, a server started since), moves the slot to a free
 * port, says so in `log`, and starts once more. Returns the project and spec with the port used.
 */
export async function startOnFreePort<P extends SlotPorts>(
  deps: EngineDeps,
  project: P,
  spec: InstanceSpec,
  log: Log,
): Promise<{ project: P; spec: InstanceSpec; moved: boolean }> {
  try {
    await deps.runtime.start(spec);
    return { project, spec, moved: false };
  } catch (error) {
    if (!(error instanceof HostPortInUseError) || deps.settings.upstreamMode !== 'host') throw error;
    const replica = (spec.replicaHostPorts ?? []).indexOf(error.port) + 1;
    if (replica > 0 && error.port !== spec.hostPort) {
      // A web replica's port: only that replica moves (the route names it only once the deploy switches).
      const moved = await moveReplicaPort(project, spec.slot, replica, error.port, deps);
      const replicaHostPorts = replicaPortsOf(moved, spec.slot, spec.replicas ?? 1);
      await log(
        `${error.message}. Web replica ${replica} of ${project.name} moves to host port ${replicaHostPorts[replica - 1]}; starting again`,
        'warn',
      );
      const retried = { ...spec, replicaHostPorts };
      await deps.runtime.start(retried);
      return { project: moved, spec: retried, moved: true };
    }
    const moved = await moveSlotPort(project, spec.slot, error.port, deps);
    const hostPort = slotPortOf(moved, spec.slot);
    await log(
      `${error.message}. Slot ${spec.slot} of ${project.name} moves to host port ${hostPort}; starting again`,
      'warn',
    );
    const retried = { ...spec, hostPort, slotHostPorts: slotHostPorts(moved) };
    await deps.runtime.start(retried);
    return { project: moved, spec: retried, moved: true };
  }
}

/** Gives `slot` a free port instead of `taken`; another process that moved it first wins. */
async function moveSlotPort<P extends SlotPorts>(
  project: P,
  slot: Slot,
  taken: number,
  deps: PortDeps,
): Promise<P> {
  return oneAllocationAtATime(() => moveSlotPortNow(project, slot, taken, deps));
}

async function moveSlotPortNow<P extends SlotPorts>(
  project: P,
  slot: Slot,
  taken: number,
  deps: PortDeps,
): Promise<P> {
  const withPort = (port: number): P =>
    slot === 'a' ? { ...project, slotPortA: port } : { ...project, slotPortB: port };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [port] = (await freePorts(deps, 1, taken)) as [number];
    if (await deps.repos.projects.replaceSlotPort(project.id, slot, taken, port, project.group)) {
      return withPort(port);
    }
    const current = await deps.repos.projects.findForDeploy(project.id, project.group);
    if (!current) throw new Error(`project ${project.name} no longer exists`);
    const now = slotPortOf(current, slot);
    if (now !== null && now !== taken) return withPort(now);
  }
  throw new Error(`could not move slot ${slot} of ${project.name} off host port ${taken}`);
}
