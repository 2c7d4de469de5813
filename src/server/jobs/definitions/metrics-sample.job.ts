import { z } from 'zod';
import { defineJob } from '../types';

/** Samples the resource figures of every running app, then folds and prunes old points; every minute. */
export const metricsSampleJob = defineJob({
  name: 'metrics-sample',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '* * * * *',
  expireInSeconds: 120,
  retryLimit: 0,
});
