import { env } from '@/env';
import { buildLogRepo } from '@/server/domains/deployments/build-log.repo';
import { deviceAuthorizationRepo } from '@/server/domains/device-authorizations/device-authorization.repo';
import { sessionRepo } from '@/server/domains/users/session.repo';

const DAY_MS = 24 * 60 * 60 * 1000;
const GRACE_MS = DAY_MS;

export async function runCleanup() {
  const now = new Date();
  const cutoff = new Date(now.getTime() - GRACE_MS);
  const [devices, sessions, buildLogLines] = await Promise.all([
    deviceAuthorizationRepo.deleteExpired(cutoff),
    sessionRepo.deleteExpired(now),
    // Build output is the bulk of a deployment's log; the deployment, its events and error stay.
    buildLogRepo.deleteOfFinishedBefore(new Date(now.getTime() - env.RISE_BUILD_LOG_RETENTION_DAYS * DAY_MS)),
  ]);
  return {
    deviceAuthorizations: devices.count,
    sessions: sessions.count,
    buildLogLines: buildLogLines.count,
  };
}
