import type { Caller } from '@/server/domains/access/caller';
import { withConfiguredAdmins } from '@/server/domains/access/platform-admins';
import { matchServiceAccount } from '@/server/domains/service-accounts/service-account.service';
import { authenticateToken, looksLikeApiToken } from '@/server/domains/tokens/token.service';
import { findSessionUser } from '@/server/domains/users/session.service';
import { AppError } from '@/server/errors';
import { readCookie, sessionCookie } from './session-cookie';
import { verifyTrustedJwt } from './trusted-issuer';

/**
 * Authenticates a request: `Authorization: Bearer` with a Rise API token or a trusted-issuer JWT,
 * else the browser session cookie. A bad bearer credential is an error, never a silent anonymous.
 */
export async function resolveCaller(
  headers: Headers,
  options: { trustedIssuers?: string[] } = {},
): Promise<Caller | null> {
  const authorization = headers.get('authorization');
  if (authorization) {
    const [scheme, credential] = authorization.split(/\s+/, 2);
    if (scheme?.toLowerCase() !== 'bearer' || !credential) {
      throw new AppError('UNAUTHORIZED', 'Use `Authorization: Bearer <token>`.');
    }
    if (looksLikeApiToken(credential)) {
      const authenticated = await authenticateToken(credential);
      if (!authenticated) {
        throw new AppError(
          'UNAUTHORIZED',
          'The API token is invalid, expired or revoked. Run `rise login` again.',
        );
      }
      return {
        kind: 'user',
        user: withConfiguredAdmins(authenticated.user),
        via: 'token',
        tokenId: authenticated.tokenId,
      };
    }
    const { issuer, payload } = await verifyTrustedJwt(credential, options.trustedIssuers);
    const account = await matchServiceAccount(issuer, payload);
    return {
      kind: 'service-account',
      serviceAccount: {
        id: account.id,
        name: account.name,
        projectId: account.projectId,
        role: account.role,
      },
      issuer,
      subject: payload.sub ?? null,
    };
  }
  const sessionToken = readCookie(headers.get('cookie'), sessionCookie().name);
  const user = sessionToken ? await findSessionUser(sessionToken) : null;
  return user ? { kind: 'user', user: withConfiguredAdmins(user), via: 'session' } : null;
}
