import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Removes a stopped project's instances, or (with `group`) a stopped preview group's route and
 * instances; shares the project lock with deploys.
 */
export const stopJob = defineJob({
  name: 'stop',
  payload: z.object({ projectId: z.string(), group: z.string().optional() }),
  expireInSeconds: 600,
  heartbeatSeconds: 10,
  retryLimit: 5,
});
