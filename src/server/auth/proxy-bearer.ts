import type { Caller } from '@/server/domains/access/caller';
import { looksLikeApiToken } from '@/server/domains/tokens/token.service';
import { AppError } from '@/server/errors';
import { resolveCaller } from './resolve-caller';

/**
 * The caller named by a request's `Authorization: Bearer` when it is Rise's credential (an API token
 * or a trusted-issuer JWT); null when there is none or it belongs to the app (another scheme, or a
 * bearer Rise does not recognise). Throws UNAUTHORIZED for an invalid, expired or revoked Rise token.
 */
export async function proxyBearerCaller(headers: Headers): Promise<Caller | null> {
  const authorization = headers.get('authorization');
  if (!authorization) return null;
  const [scheme, credential] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'bearer' || !credential) return null;
  try {
    return await resolveCaller(new Headers({ authorization }));
  } catch (error) {
    if (!(error instanceof AppError) || looksLikeApiToken(credential)) throw error;
    return null;
  }
}
