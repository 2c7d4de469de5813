import { z } from 'zod';
import { defineJob } from '../types';

/** Deletes expired sessions and CLI login requests, and build logs past RISE_BUILD_LOG_RETENTION_DAYS. */
export const cleanupJob = defineJob({
  name: 'cleanup',
  payload: z.object({}).passthrough(),
  schedule: '17 * * * *',
  expireInSeconds: 300,
  retryLimit: 3,
});
