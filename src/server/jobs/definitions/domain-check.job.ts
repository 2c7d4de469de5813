import { z } from 'zod';
import { defineJob } from '../types';

/** Re-checks pending custom domains for their proof (TXT record or HTTP token); every minute, at a pace per domain. */
export const domainCheckJob = defineJob({
  name: 'domain-check',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '* * * * *',
  expireInSeconds: 600,
  retryLimit: 0,
});
