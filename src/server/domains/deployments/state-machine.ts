import type { DeploymentStatus } from '@/generated/prisma/enums';

/**
 * Legal deployment status transitions. A build runs pending → building → pushing → pushed; a
 * pre-built image or a rollback is created at `pushed`. Everything else is refused.
 */
export const TRANSITIONS = {
  pending: ['building', 'pushed', 'cancelling', 'cancelled', 'failed', 'expired'],
  building: ['pushing', 'cancelling', 'failed'],
  pushing: ['pushed', 'cancelling', 'failed'],
  pushed: ['deploying', 'cancelling', 'cancelled', 'failed', 'expired'],
  deploying: ['healthy', 'cancelling', 'failed'],
  healthy: ['unhealthy', 'terminating', 'superseded'],
  unhealthy: ['healthy', 'terminating', 'superseded', 'failed'],
  cancelling: ['cancelled', 'failed'],
  // A live deployment past its expiry (`--expire`) goes terminating → expired.
  terminating: ['stopped', 'superseded', 'expired'],
  cancelled: [],
  stopped: [],
  superseded: [],
  failed: [],
  expired: [],
} as const satisfies Record<DeploymentStatus, readonly DeploymentStatus[]>;

export const ALL_STATUSES = Object.keys(TRANSITIONS) as DeploymentStatus[];

export const isTerminal = (status: DeploymentStatus) => TRANSITIONS[status].length === 0;

export const canTransition = (from: DeploymentStatus, to: DeploymentStatus) =>
  (TRANSITIONS[from] as readonly DeploymentStatus[]).includes(to);

/** States from which `to` may be reached: what a guarded SQL update expects the row to be in. */
export const sourcesOf = (to: DeploymentStatus): DeploymentStatus[] =>
  ALL_STATUSES.filter((from) => canTransition(from, to));

/** The deployment is on its way to running (not yet live, not finished). */
export const IN_PROGRESS: readonly DeploymentStatus[] = [
  'pending',
  'building',
  'pushing',
  'pushed',
  'deploying',
];

/** An instance of this deployment is (or should be) running. */
export const LIVE: readonly DeploymentStatus[] = ['healthy', 'unhealthy'];
