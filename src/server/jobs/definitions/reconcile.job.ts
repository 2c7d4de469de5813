import { z } from 'zod';
import { defineJob } from '../types';

/** Makes Docker and Caddy match the database; every minute, and on demand. */
export const reconcileJob = defineJob({
  name: 'reconcile',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '* * * * *',
  expireInSeconds: 300,
  retryLimit: 1,
  handler: async () => (await import('./reconcile.handler')).handleReconcile,
});
