import { z } from 'zod';
import { env } from '@/env';
import { defineJob } from '../types';

const payload = z.object({ deploymentId: z.string(), projectId: z.string() });

/**
 * A git-build job that failed for good (its worker died on every attempt, or it kept throwing):
 * its deployment, if still building, ends `failed` with the reason instead of staying `building`.
 */
export const gitBuildFailedJob = defineJob({
  name: 'git-build-failed',
  payload,
  expireInSeconds: 120,
  retryLimit: 5,
});

/**
 * Time a build attempt has after RISE_BUILD_TIMEOUT before pg-boss gives it up: the build stops itself
 * at the timeout and needs a moment to kill its processes, record the failure and clean up.
 */
export const BUILD_EXPIRY_MARGIN_SECONDS = 300;

/**
 * Builds one deployment on the server from its project's git source (clone, build, push to Rise's
 * registry), then hands it to the deploy job. Its own queue, so builds never starve deploys.
 */
export const gitBuildJob = defineJob({
  name: 'git-build',
  payload,
  expireInSeconds: Math.ceil(env.RISE_BUILD_TIMEOUT / 1000) + BUILD_EXPIRY_MARGIN_SECONDS,
  heartbeatSeconds: 15,
  retryLimit: 2,
  deadLetter: gitBuildFailedJob,
});
