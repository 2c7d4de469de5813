import { z } from 'zod';
import { defineJob } from '../types';

/** Removes a stopped project's instances; shares the project lock with deploys. */
export const stopJob = defineJob({
  name: 'stop',
  payload: z.object({ projectId: z.string() }),
  expireInSeconds: 600,
  heartbeatSeconds: 10,
  retryLimit: 5,
});
