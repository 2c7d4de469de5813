import { createRemoteJWKSet, decodeJwt, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';
import { env } from '@/env';
import { AppError } from '@/server/errors';

const discoveryDocument = z.object({ jwks_uri: z.url() });
const keySets = new Map<string, JWTVerifyGetKey>();

const unauthorized = (message: string) => new AppError('UNAUTHORIZED', message);
const normalize = (issuer: string) => issuer.replace(/\/+$/, '');

async function keySetFor(issuer: string): Promise<JWTVerifyGetKey> {
  const cached = keySets.get(issuer);
  if (cached) return cached;
  const response = await fetch(`${normalize(issuer)}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5000),
  }).catch((error: Error) => {
    throw unauthorized(`Could not reach trusted issuer ${issuer}: ${error.message}`);
  });
  if (!response.ok) throw unauthorized(`Trusted issuer ${issuer} has no OpenID discovery document.`);
  const parsed = discoveryDocument.safeParse(await response.json());
  if (!parsed.success) throw unauthorized(`Trusted issuer ${issuer} publishes no jwks_uri.`);
  const keySet = createRemoteJWKSet(new URL(parsed.data.jwks_uri));
  keySets.set(issuer, keySet);
  return keySet;
}

/** Verifies a JWT from one of RISE_TRUSTED_ISSUERS; `aud` and `exp` are required. */
export async function verifyTrustedJwt(
  token: string,
  trustedIssuers = env.RISE_TRUSTED_ISSUERS,
): Promise<{ issuer: string; payload: JWTPayload }> {
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw unauthorized('The bearer credential is neither a Rise API token nor a JWT.');
  }
  const trusted = trustedIssuers.find((candidate) => issuer && normalize(candidate) === normalize(issuer));
  if (!issuer || !trusted) {
    throw unauthorized(`JWT issuer '${issuer ?? '(none)'}' is not trusted; add it to RISE_TRUSTED_ISSUERS.`);
  }
  try {
    const { payload } = await jwtVerify(token, await keySetFor(trusted), {
      issuer,
      requiredClaims: ['aud', 'exp'],
    });
    return { issuer: trusted, payload };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unauthorized(`JWT rejected: ${(error as Error).message}`);
  }
}
