import { z } from 'zod';
import { defineJob } from '../types';

/** Measures the data filesystem and raises disk.low when RISE_DISK_WARNING/CRITICAL_PERCENT is crossed. */
export const diskCheckJob = defineJob({
  name: 'disk-check',
  payload: z.object({}).passthrough(),
  schedule: '*/5 * * * *',
  expireInSeconds: 600,
  retryLimit: 0,
});
