import { oneAtATime } from '@/server/one-at-a-time';
import type { EngineDeps } from './engine-deps';

export type PortDeps = Pick<EngineDeps, 'settings' | 'hostPorts' | 'repos'>;

// Each attempt re-reads the database: another worker process may take the same free port at the same
// moment (the unique index on slot ports refuses the second: the repository answers false). Within this process, allocations run one
// at a time, else concurrent deployments of new projects all read the same first free ports.
export const ATTEMPTS = 20;
export const oneAllocationAtATime = oneAtATime();

/**
 * The first `count` ports of RISE_APP_PORT_RANGE that no project of this installation has and that
 * nothing else on the host holds (`deps.hostPorts`), never `except`.
 */
export async function freePorts(deps: PortDeps, count: number, except?: number): Promise<number[]> {
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
