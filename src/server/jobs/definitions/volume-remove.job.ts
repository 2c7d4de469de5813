import { z } from 'zod';
import { DEFAULT_RUNTIME } from '@/shared/runtimes';
import { defineJob } from '../types';

/** Removes a deleted volume's data from the runtime (its row is already gone). */
export const volumeRemoveJob = defineJob({
  name: 'volume-remove',
  payload: z.object({
    projectId: z.string(),
    projectName: z.string(),
    volume: z.string(),
    runtime: z.string().default(DEFAULT_RUNTIME),
  }),
  expireInSeconds: 300,
  retryLimit: 5,
});
