import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { z } from 'zod';
import { env } from '@/env';
import type { UserCaller } from '@/server/domains/access/caller';
import { AppError, notFound } from '@/server/errors';
import { limitRequest } from '@/server/security/rate-limit';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { issueToken } from '../tokens/token.service';
import { userRepo } from '../users/user.repo';
import { deviceAuthorizationRepo } from './device-authorization.repo';
import {
  type deviceAuthorizationView,
  type devicePollResult,
  USER_CODE_ALPHABET,
} from './device-authorization.schema';

export const DEVICE_CODE_TTL_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
export const CLI_TOKEN_DAYS = 90;

const hashDeviceCode = (code: string) => createHash('sha256').update(code).digest('hex');

function newUserCode(): string {
  const letters = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]);
  return `${letters.slice(0, 4).join('')}-${letters.slice(4).join('')}`;
}

/** Who asks, for per-address rate limits. */
export type Requester = { clientAddress: string };

export async function startDeviceAuthorization(input: { clientName: string }, requester: Requester) {
  await limitRequest('device-start', requester.clientAddress);
  const deviceCode = randomBytes(32).toString('base64url');
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await deviceAuthorizationRepo.create({
        deviceCodeHash: hashDeviceCode(deviceCode),
        userCode,
        clientName: input.clientName,
        intervalSec: POLL_INTERVAL_SECONDS,
        expiresAt: new Date(Date.now() + DEVICE_CODE_TTL_SECONDS * 1000),
      });
      const verificationUri = new URL('/cli/login', env.RISE_URL).toString();
      return {
        deviceCode,
        userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?code=${userCode}`,
        expiresIn: DEVICE_CODE_TTL_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

/** One poll by the CLI (RFC 8628 §3.4–3.5 semantics, as a result value rather than an error). */
export async function pollDeviceAuthorization(
  deviceCode: string,
  requester: Requester,
): Promise<z.infer<typeof devicePollResult>> {
  await limitRequest('device-poll-address', requester.clientAddress);
  // Past `slow_down`: a client that ignores it is refused outright.
  await limitRequest('device-poll-code', hashDeviceCode(deviceCode));
  const authorization = await deviceAuthorizationRepo.findByDeviceCodeHash(hashDeviceCode(deviceCode));
  if (!authorization) throw new AppError('BAD_REQUEST', 'Unknown device code. Run `rise login` again.');
  const now = new Date();
  if (authorization.expiresAt <= now || authorization.status === 'consumed') return { status: 'expired' };
  if (authorization.status === 'denied') return { status: 'denied' };

  const tooSoon =
    authorization.lastPolledAt &&
    now.getTime() - authorization.lastPolledAt.getTime() < authorization.intervalSec * 1000;
  if (authorization.status === 'pending') {
    const intervalSec = tooSoon
      ? authorization.intervalSec + SLOW_DOWN_STEP_SECONDS
      : authorization.intervalSec;
    await deviceAuthorizationRepo.recordPoll(authorization.id, { lastPolledAt: now, intervalSec });
    return tooSoon
      ? { status: 'slow_down', interval: intervalSec }
      : { status: 'pending', interval: intervalSec };
  }

  // Approved: hand out exactly one token, even if two polls race.
  const user = authorization.userId ? await userRepo.findById(authorization.userId) : null;
  if (!user) return { status: 'expired' };
  const issued = await inTransaction(async (tx) => {
    if (!(await deviceAuthorizationRepo.transition(authorization.id, 'approved', 'consumed', {}, tx)))
      return null;
    const caller: UserCaller = { kind: 'user', user, via: 'session' };
    return issueToken(
      caller,
      { userId: user.id, name: `CLI login (${authorization.clientName})`, expiresInDays: CLI_TOKEN_DAYS },
      tx,
    );
  });
  if (!issued) return { status: 'expired' };
  return {
    status: 'approved',
    token: issued.token,
    user: { username: user.username, name: user.name, email: user.email },
  };
}

export async function viewDeviceAuthorization(
  userCode: string,
): Promise<z.infer<typeof deviceAuthorizationView>> {
  const authorization = await deviceAuthorizationRepo.findByUserCode(userCode);
  if (!authorization)
    throw notFound(`No login request with code ${userCode}. Check the code the CLI printed.`);
  const expired = authorization.expiresAt <= new Date() && authorization.status === 'pending';
  return {
    userCode: authorization.userCode,
    clientName: authorization.clientName,
    status: expired ? 'expired' : authorization.status,
    createdAt: authorization.createdAt,
    expiresAt: authorization.expiresAt,
  };
}

export async function decideDeviceAuthorization(caller: UserCaller, userCode: string, approve: boolean) {
  const authorization = await deviceAuthorizationRepo.findByUserCode(userCode);
  if (!authorization)
    throw notFound(`No login request with code ${userCode}. Check the code the CLI printed.`);
  const moved = await inTransaction(async (tx) => {
    const ok = await deviceAuthorizationRepo.transition(
      authorization.id,
      'pending',
      approve ? 'approved' : 'denied',
      { userId: caller.user.id },
      tx,
    );
    if (ok) {
      await recordAudit(
        caller,
        {
          action: approve ? 'cli-login.approve' : 'cli-login.deny',
          targetType: 'device-authorization',
          targetId: authorization.id,
          targetName: authorization.userCode,
          details: { client: authorization.clientName },
        },
        tx,
      );
    }
    return ok;
  });
  if (!moved) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Login request ${userCode} is no longer waiting (expired or already answered). Run \`rise login\` again.`,
    );
  }
  return viewDeviceAuthorization(userCode);
}
