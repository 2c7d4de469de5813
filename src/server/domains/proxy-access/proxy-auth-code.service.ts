import { createHash, randomBytes } from 'node:crypto';
import type { Caller } from '@/server/domains/access/caller';
import { AppError } from '@/server/errors';
import { projectRoleOf } from '../access/access.service';
import { projectForHost } from './proxy-access.service';
import { proxyAuthCodeRepo } from './proxy-auth-code.repo';

/** How long a handshake code may wait between Rise's redirect and the app host redeeming it. */
export const PROXY_AUTH_CODE_TTL_SECONDS = 60;

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * Step 1 of the handshake, on Rise's host: a one-time code for a signed-in member of the project at
 * `host`, bound to the user, the project, the host and the path to return to. Only its SHA-256 is
 * stored. Throws NOT_FOUND for a host Rise does not serve and FORBIDDEN for a non-member.
 */
export async function issueProxyAuthCode(
  caller: Caller,
  request: { host: string; returnPath: string },
  now = new Date(),
): Promise<string> {
  if (caller.kind !== 'user') throw new AppError('FORBIDDEN', 'Only people sign in to apps; use a token.');
  const project = await projectForHost(request.host);
  if (!project) throw new AppError('NOT_FOUND', `No Rise project is served at ${request.host}.`);
  if (!(await projectRoleOf(caller, project))) {
    throw new AppError(
      'FORBIDDEN',
      `You are signed in as ${caller.user.username} but not a member of the team that owns this app.`,
    );
  }
  await proxyAuthCodeRepo.deleteExpired(now);
  const code = randomBytes(32).toString('base64url');
  await proxyAuthCodeRepo.create({
    codeHash: hashCode(code),
    userId: caller.user.id,
    projectId: project.id,
    host: request.host,
    returnPath: request.returnPath,
    expiresAt: new Date(now.getTime() + PROXY_AUTH_CODE_TTL_SECONDS * 1000),
  });
  return code;
}

/**
 * Step 2, on the app's host: redeems a code exactly once (it is deleted whatever the outcome) and
 * returns whom to sign in on which project. UNAUTHORIZED when unknown, used, expired or issued for
 * another host.
 */
export async function redeemProxyAuthCode(
  code: string,
  host: string,
  now = new Date(),
): Promise<{ userId: string; projectId: string; returnPath: string }> {
  const row = code ? await proxyAuthCodeRepo.take(hashCode(code)) : null;
  if (!row || row.expiresAt <= now || row.host !== host.toLowerCase()) {
    throw new AppError(
      'UNAUTHORIZED',
      'This sign-in link is invalid, expired or already used. Open the app again to sign in.',
    );
  }
  return { userId: row.userId, projectId: row.projectId, returnPath: row.returnPath };
}
