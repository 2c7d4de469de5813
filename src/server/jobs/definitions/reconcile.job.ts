import { z } from 'zod';
import { defineJob } from '../types';

/** Makes Docker and Caddy match the database; at worker start, every minute, and on demand. */
export const reconcileJob = defineJob({
  name: 'reconcile',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '* * * * *',
  expireInSeconds: 300,
  retryLimit: 1,
  // After a restart of the host, Caddy or Docker, routes and apps come back without waiting a minute.
  runOnStart: true,
});
