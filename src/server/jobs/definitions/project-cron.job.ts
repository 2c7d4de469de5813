import { z } from 'zod';
import { defineJob } from '../types';

/** One run of a project's cron job: scheduled (pg-boss cron keyed by the job's id) or run now. */
export const projectCronJob = defineJob({
  name: 'project-cron',
  payload: z.object({ cronJobId: z.string() }),
  // Longer than a run may last (RISE_RELEASE_TIMEOUT, at most a few hours).
  expireInSeconds: 6 * 3600,
  heartbeatSeconds: 30,
  retryLimit: 0,
});
