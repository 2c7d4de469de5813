import { z } from 'zod';
import { defineJob } from '../types';

/** Probes the health path of every running app's active deployment and tells of failing streaks; every minute. */
export const healthWatchJob = defineJob({
  name: 'health-watch',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '* * * * *',
  expireInSeconds: 120,
  retryLimit: 0,
});
