import type { DeploymentStatus } from '@/generated/prisma/enums';

/** What Rise tells a forge about a commit's deployment; each forge spells these its own way. */
export const COMMIT_STATES = ['pending', 'success', 'failure', 'cancelled'] as const;
export type CommitState = (typeof COMMIT_STATES)[number];

const STATE_OF: Record<DeploymentStatus, CommitState | null> = {
  pending: 'pending',
  building: 'pending',
  pushing: 'pending',
  pushed: 'pending',
  deploying: 'pending',
  healthy: 'success',
  unhealthy: 'failure',
  failed: 'failure',
  cancelled: 'cancelled',
  // Not yet decided, or the end of a deployment that was live: the forge keeps what it was told last.
  cancelling: null,
  terminating: null,
  superseded: null,
  stopped: null,
  expired: null,
};

/** The commit state a deployment in `status` is reported as, or null when it changes nothing. */
export const commitStateOf = (status: DeploymentStatus): CommitState | null => STATE_OF[status];

/**
 * Whether `state` should be posted when `last` was posted before: not twice in a row, and never
 * `pending` once a result was posted (a late or replayed job must not turn a result back to pending).
 * A result may follow another: a live deployment goes unhealthy (failure) and recovers (success).
 */
export function shouldReport(state: CommitState, last: CommitState | null): boolean {
  if (state === last) return false;
  return !(state === 'pending' && last !== null);
}

/** The short text shown next to the status on the forge. */
export function describeState(state: CommitState, status: DeploymentStatus): string {
  switch (state) {
    case 'pending':
      return status === 'deploying' ? 'Rise is deploying this commit' : 'Rise is building this commit';
    case 'success':
      return 'Deployed by Rise';
    case 'failure':
      return status === 'unhealthy' ? 'The deployment is unhealthy' : 'The deployment failed';
    case 'cancelled':
      return 'The deployment was cancelled';
  }
}
