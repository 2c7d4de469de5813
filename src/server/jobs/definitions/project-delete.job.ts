import { z } from 'zod';
import { DEFAULT_RUNTIME } from '@/shared/runtimes';
import { defineJob } from '../types';

/** Removes a deleted project's instances and route (the row is already gone). */
export const projectDeleteJob = defineJob({
  name: 'project-delete',
  payload: z.object({
    projectId: z.string(),
    projectName: z.string(),
    // The row is gone when the job runs: the runtime it ran on travels with the job.
    runtime: z.string().default(DEFAULT_RUNTIME),
  }),
  expireInSeconds: 600,
  heartbeatSeconds: 10,
  retryLimit: 5,
});
