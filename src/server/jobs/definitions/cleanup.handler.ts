import { env } from '@/env';
import { dockerClient } from '@/server/docker/docker-client';
import { buildLogRepo } from '@/server/domains/deployments/build-log.repo';
import { deviceAuthorizationRepo } from '@/server/domains/device-authorizations/device-authorization.repo';
import { diskHygieneRepo } from '@/server/domains/disk-hygiene/disk-hygiene.repo';
import {
  type ImageRetentionDeps,
  runImageRetention,
} from '@/server/domains/disk-hygiene/image-retention.service';
import { sessionRepo } from '@/server/domains/users/session.repo';
import { imageRetentionDeps } from '../image-retention-deps';
import { withProjectLock } from '../project-lock';

const DAY_MS = 24 * 60 * 60 * 1000;
const GRACE_MS = DAY_MS;

/**
 * Deletes expired sessions and CLI login requests, build logs and deployment events past retention,
 * and the images of deployments past RISE_IMAGE_RETENTION (engine and Rise's registry, then its GC).
 */
export function runCleanup() {
  return runCleanupWith({ ...imageRetentionDeps(dockerClient()), withProjectLock });
}

export async function runCleanupWith(images: ImageRetentionDeps) {
  const now = new Date();
  const cutoff = new Date(now.getTime() - GRACE_MS);
  const [devices, sessions, buildLogLines] = await Promise.all([
    deviceAuthorizationRepo.deleteExpired(cutoff),
    sessionRepo.deleteExpired(now),
    // Build output is the bulk of a deployment's log; the deployment, its events and error stay.
    buildLogRepo.deleteOfFinishedBefore(new Date(now.getTime() - env.RISE_BUILD_LOG_RETENTION_DAYS * DAY_MS)),
  ]);
  // After the build output, so each count says what its own retention removed.
  const deploymentEvents = await diskHygieneRepo.deleteEventsOfFinishedBefore(
    new Date(now.getTime() - env.RISE_DEPLOYMENT_EVENT_RETENTION_DAYS * DAY_MS),
  );
  return {
    deviceAuthorizations: devices.count,
    sessions: sessions.count,
    buildLogLines: buildLogLines.count,
    deploymentEvents: deploymentEvents.count,
    images: await runImageRetention(images),
  };
}
