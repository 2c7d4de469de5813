import { z } from 'zod';
import { COMMIT_STATES } from '@/server/domains/git-status/commit-state';
import { defineJob } from '../types';

/**
 * Tells the forge a git deployment's commit state (commit status; a preview's pull request comment).
 * One at a time per deployment, so its states reach the forge in order; retried with backoff.
 */
export const gitStatusJob = defineJob({
  name: 'git-status',
  payload: z.object({ deploymentId: z.string(), state: z.enum(COMMIT_STATES) }),
  policy: 'singleton',
  keyOf: (payload) => payload.deploymentId,
  expireInSeconds: 120,
  retryLimit: 4,
});
