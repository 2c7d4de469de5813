import type { Slot } from '@/generated/prisma/enums';
import { oneAtATime } from '@/server/one-at-a-time';
import { HostPortInUseError, type InstanceSpec } from '@/server/runtime/types';
import type { EngineDeps } from './engine-deps';

type SlotPorts = {
  id: string;
  name: string;
  /** The deployment group whose slots these are (absent: `default`). */
  group?: string;
  slotPortA: number | null;
  slotPortB: number | null;
};
type PortDeps = Pick<EngineDeps, 'settings' | 'hostPorts' | 'repos'>;
type Log = (text: string, level: 'info' | 'warn' | 'error') => Promise<unknown>;

// Each attempt re-reads the database: another worker process may take the same free port at the same
// moment (the unique index on slot ports refuses the second: the repository answers false). Within this process, allocations run one
// at a time, else concurrent deployments of new projects all read the same first free ports.
const ATTEMPTS = 20;
const oneAllocationAtATime = oneAtATime();

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

/**
 * The first `count` ports of RISE_APP_PORT_RANGE that no project of this installation has and that
 * nothing else on the host holds (`deps.hostPorts`), never `except`.
 */
async function freePorts(deps: PortDeps, count: number, except?: number): Promise<number[]> {
  const [first, last] = deps.settings.portRange;
  const given = await deps.repos.projects.usedSlotPorts();
  const available = deps.hostPorts ? await deps.hostPorts.check() : async () => true;
  const free: number[] = [];
  for (let port = first; port <= last && free.length < count; port++) {
    if (port === except || given.has(port)) continue;
    if (await available(port)) free.push(port);
  }
  if (free.length < count) {
    throw new Error(
      `no free port left in RISE_APP_PORT_RANGE ${first}-${last}: each is given to a project or in use on this host. Widen the range.`,
    );
  }
  return free;
}
