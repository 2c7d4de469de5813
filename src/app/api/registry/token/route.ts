import { answerRegistryTokenRequest } from '@/server/auth/registry-token';
import { AppError } from '@/server/errors';
import { parseBasicAuth } from '@/server/registry/token-service';
import { clientAddress } from '@/server/security/client-address';
import { assertNotLocked, recordFailure, retryAfterSeconds } from '@/server/security/rate-limit';

export const dynamic = 'force-dynamic';

/**
 * The registry's token endpoint (Docker registry v2 token spec); the logic is in auth/registry-token.ts.
 * Failed logins are limited per address, and more tightly per account from one address: a lock per
 * account alone would let anyone lock out a user's (or the worker's) pushes and pulls.
 */
export async function GET(request: Request) {
  const address = clientAddress(request.headers);
  const authorization = request.headers.get('authorization');
  const account = parseBasicAuth(authorization)?.username.toLowerCase() ?? null;
  const accountKey = account === null ? null : `${account}\n${address}`;
  try {
    await assertNotLocked('registry-token-address', address);
    if (accountKey) await assertNotLocked('registry-token-account', accountKey);
  } catch (error) {
    const wait = error instanceof AppError ? retryAfterSeconds(error) : null;
    if (wait === null || !(error instanceof AppError)) throw error;
    return Response.json(
      { errors: [{ code: 'TOOMANYREQUESTS', message: error.message }] },
      { status: 429, headers: { 'cache-control': 'no-store', 'retry-after': String(wait) } },
    );
  }
  const result = await answerRegistryTokenRequest({
    authorization,
    params: new URL(request.url).searchParams,
  });
  if (result.status === 401 && accountKey) {
    await recordFailure('registry-token-address', address);
    await recordFailure('registry-token-account', accountKey);
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (result.status === 401) headers['www-authenticate'] = 'Basic realm="rise"';
  return Response.json(result.body, { status: result.status, headers });
}
