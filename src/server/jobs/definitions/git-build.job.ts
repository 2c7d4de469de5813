import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Builds one deployment on the server from its project's git source (clone, build, push to Rise's
 * registry), then hands it to the deploy job. Its own queue, so builds never starve deploys.
 */
export const gitBuildJob = defineJob({
  name: 'git-build',
  payload: z.object({ deploymentId: z.string(), projectId: z.string() }),
  expireInSeconds: 3600,
  heartbeatSeconds: 15,
  retryLimit: 2,
});
