import { z } from 'zod';
import { defineJob } from '../types';

/** Checks the certificates Rise's proxy serves for app hosts and custom domains; every 15 minutes. */
export const certificateCheckJob = defineJob({
  name: 'certificate-check',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '*/15 * * * *',
  expireInSeconds: 900,
  retryLimit: 0,
});
