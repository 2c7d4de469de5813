import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Expires deployments past their expiry (`rise d c --expire`): one deployment, sent to start at its
 * expiry when it is created or extended, and every minute a pass over all of them (what a crash or an
 * extension left behind).
 */
export const expireJob = defineJob({
  name: 'expire',
  payload: z.object({ deploymentId: z.string().optional() }).passthrough(),
  schedule: '* * * * *',
  expireInSeconds: 300,
  heartbeatSeconds: 10,
  retryLimit: 3,
  runOnStart: true,
});
