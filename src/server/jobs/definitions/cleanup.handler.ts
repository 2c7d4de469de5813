import { deviceAuthorizationRepo } from '@/server/domains/device-authorizations/device-authorization.repo';
import { sessionRepo } from '@/server/domains/users/session.repo';

const GRACE_MS = 24 * 60 * 60 * 1000;

export async function runCleanup() {
  const cutoff = new Date(Date.now() - GRACE_MS);
  const [devices, sessions] = await Promise.all([
    deviceAuthorizationRepo.deleteExpired(cutoff),
    sessionRepo.deleteExpired(new Date()),
  ]);
  return { deviceAuthorizations: devices.count, sessions: sessions.count };
}
