import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Brings the running instances of a project's active deployment to the replica counts the project
 * now asks for (`rise scale`), without a redeploy; shares the project lock with deploys.
 */
export const projectScaleJob = defineJob({
  name: 'project-scale',
  payload: z.object({ projectId: z.string() }),
  expireInSeconds: 900,
  heartbeatSeconds: 10,
  retryLimit: 3,
});
