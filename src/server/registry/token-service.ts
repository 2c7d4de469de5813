import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { RegistryAction } from './registry-credential';
import type { RegistrySigningKey } from './signing-key';

// The token endpoint of the Docker registry v2 token spec, for CNCF distribution 2.8 (see
// STACK-NOTES.md): `aud` a single string, `kid` in libtrust format, repeated `scope` parameters
// answered with the granted subset, 401 only for missing or bad credentials. Who may have what is
// decided outside the protocol (domains/registry-access), and handed in as `decideAccess`.

export type ResourceScope = { type: string; name: string; actions: string[] };
/** `delete` is never granted at the token endpoint: only the worker's image retention signs it for itself. */
export type GrantedAction = RegistryAction | 'delete';
export type GrantedAccess = { type: 'repository'; name: string; actions: GrantedAction[] };

export type TokenRequest = { service: string | null; account: string | null; scopes: ResourceScope[] };

export type TokenServiceConfig = {
  service: string;
  issuer: string;
  tokenTtlSeconds: number;
  signingKey: () => Promise<RegistrySigningKey>;
  /** The clock tokens are issued by (tests sign tokens issued in the past). */
  now?: () => Date;
};

/** Who the Basic credentials name, what they may have of the scopes asked for, and until when. */
export type RegistryAccessDecision = { subject: string; access: GrantedAccess[]; notAfter: Date | null };

/** Decides a parsed request; null when the credentials are wrong, expired or revoked (a 401). */
export type RegistryAccessDecider = (
  login: { username: string; password: string },
  scopes: ResourceScope[],
) => Promise<RegistryAccessDecision | null>;

export type TokenResponse =
  | {
      status: 200;
      body: { token: string; access_token: string; expires_in: number; issued_at: string };
      access: GrantedAccess[];
      subject: string;
    }
  | { status: 400 | 401; body: { errors: { code: string; message: string }[] } };

/** `scope=repository:<name>:<actions>` (repeatable; a scope may list several space-separated). */
export function parseScope(scope: string): ResourceScope | null {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return null;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((action) => action.trim())
    .filter(Boolean);
  return name ? { type, name, actions } : null;
}

export function parseTokenRequest(params: URLSearchParams): TokenRequest {
  const scopes = params
    .getAll('scope')
    .flatMap((value) => value.split(' '))
    .filter(Boolean)
    .map(parseScope)
    .filter((scope): scope is ResourceScope => scope !== null);
  return { service: params.get('service'), account: params.get('account'), scopes };
}

export function parseBasicAuth(header: string | null): { username: string; password: string } | null {
  if (!header) return null;
  const [scheme, encoded] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const error = (status: 400 | 401, code: string, message: string): TokenResponse => ({
  status,
  body: { errors: [{ code, message }] },
});

/** A bearer token the registry accepts, for `access` (which may be empty: then it only authenticates). */
export async function signRegistryToken(
  config: TokenServiceConfig,
  grantee: RegistryAccessDecision,
): Promise<{ token: string; now: number; exp: number }> {
  const key = await config.signingKey();
  const now = Math.floor((config.now?.() ?? new Date()).getTime() / 1000);
  let exp = now + Math.min(config.tokenTtlSeconds, 900);
  if (grantee.notAfter) exp = Math.min(exp, Math.floor(grantee.notAfter.getTime() / 1000));
  const token = await new SignJWT({ access: grantee.access })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
    .setIssuer(config.issuer)
    .setAudience(config.service) // a single string: distribution 2.8 rejects an array
    .setSubject(grantee.subject)
    .setIssuedAt(now)
    .setNotBefore(now - 10)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, now, exp };
}

/** Answers one token request: authenticates the Basic credentials and signs a token for what they may do. */
export async function issueRegistryToken(
  config: TokenServiceConfig,
  request: { authorization: string | null; params: URLSearchParams },
  decideAccess: RegistryAccessDecider,
): Promise<TokenResponse> {
  const parsed = parseTokenRequest(request.params);
  if (parsed.service !== null && parsed.service !== config.service)
    return error(400, 'UNSUPPORTED', `Unknown service '${parsed.service}'; this is '${config.service}'.`);
  const basic = parseBasicAuth(request.authorization);
  if (!basic)
    return error(401, 'UNAUTHORIZED', 'Log in with a Rise user name and registry password or API token.');
  const decision = await decideAccess(basic, parsed.scopes);
  if (!decision)
    return error(
      401,
      'UNAUTHORIZED',
      'Invalid, expired or revoked registry credentials; ask Rise for new ones (`rise d c` does).',
    );

  const { token, now, exp } = await signRegistryToken(config, decision);
  return {
    status: 200,
    body: {
      token,
      access_token: token,
      expires_in: Math.max(exp - now, 1),
      issued_at: new Date(now * 1000).toISOString(),
    },
    access: decision.access,
    subject: decision.subject,
  };
}
