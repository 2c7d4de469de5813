import { z } from 'zod';
import { defineJob } from '../types';

/** Checks every running app's URL through Rise's proxy and tells of state changes; every minute. */
export const uptimeCheckJob = defineJob({
  name: 'uptime-check',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '* * * * *',
  expireInSeconds: 120,
  retryLimit: 0,
});
