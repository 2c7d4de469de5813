import { z } from 'zod';
import { defineJob } from '../types';

/** Runs one deployment; strictly one at a time per project, in the order they were created. */
export const deployJob = defineJob({
  name: 'deploy',
  payload: z.object({ deploymentId: z.string(), projectId: z.string() }),
  policy: 'key_strict_fifo',
  keyOf: (payload) => payload.projectId,
  expireInSeconds: 1800,
  heartbeatSeconds: 10,
  retryLimit: 5,
});
