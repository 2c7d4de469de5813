import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { withConfiguredAdmins } from '@/server/auth/platform-admins';
import { authorizeProject } from '@/server/domains/access/access.service';
import type { Caller } from '@/server/domains/access/caller';
import type { ProjectAction } from '@/server/domains/access/permissions';
import { authenticateToken, looksLikeApiToken } from '@/server/domains/tokens/token.service';
import { userRepo } from '@/server/domains/users/user.repo';
import { AppError } from '@/server/errors';
import {
  type CredentialClaims,
  GENERIC_USERNAME,
  looksLikeCredential,
  type RegistryAction,
  verifyCredential,
} from './registry-credential';
import type { RegistrySigningKey } from './signing-key';

// The token endpoint of the Docker registry v2 token spec, for CNCF distribution 2.8 (see
// STACK-NOTES.md): `aud` a single string, `kid` in libtrust format, repeated `scope` parameters
// answered with the granted subset, 401 only for missing or bad credentials.

export type ResourceScope = { type: string; name: string; actions: string[] };
export type GrantedAccess = { type: 'repository'; name: string; actions: RegistryAction[] };

export type TokenRequest = { service: string | null; account: string | null; scopes: ResourceScope[] };

export type TokenServiceConfig = {
  service: string;
  issuer: string;
  tokenTtlSeconds: number;
  signingKey: () => Promise<RegistrySigningKey>;
};

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

/** Who presented the Basic credentials, or null when they are wrong. */
type Principal =
  | { kind: 'caller'; subject: string; caller: Caller; expiresAt: null }
  | { kind: 'credential'; subject: string; caller: Caller | null; claims: CredentialClaims };

async function authenticate(
  config: TokenServiceConfig,
  username: string,
  password: string,
): Promise<Principal | null> {
  if (!username || !password) return null;
  if (looksLikeApiToken(password)) {
    const authenticated = await authenticateToken(password);
    if (!authenticated) return null;
    if (username !== GENERIC_USERNAME && username !== authenticated.user.username) return null;
    return {
      kind: 'caller',
      subject: authenticated.user.username,
      caller: {
        kind: 'user',
        user: withConfiguredAdmins(authenticated.user),
        via: 'token',
        tokenId: authenticated.tokenId,
      },
      expiresAt: null,
    };
  }
  if (looksLikeCredential(password)) {
    const claims = await verifyCredential(await config.signingKey(), password, config.issuer);
    if (!claims) return null;
    if (username !== GENERIC_USERNAME && username !== claims.username) return null;
    let caller: Caller | null = null;
    if (claims.subject.kind === 'user') {
      // Re-checked on every token: a role removed after the credential was issued stops it at once.
      const user = await userRepo.findById(claims.subject.userId);
      if (!user) return null;
      caller = { kind: 'user', user: withConfiguredAdmins(user), via: 'token' };
    }
    return { kind: 'credential', subject: claims.username, caller, claims };
  }
  return null;
}

const ACTION_PERMISSION: Record<RegistryAction, ProjectAction> = {
  pull: 'project:read',
  push: 'project:deploy',
};

async function callerMay(caller: Caller, repository: string, action: RegistryAction): Promise<boolean> {
  try {
    await authorizeProject(caller, repository, ACTION_PERMISSION[action]);
    return true;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/** The subset of `scopes` the principal may have; unknown types and actions are never granted. */
async function grant(principal: Principal, scopes: ResourceScope[]): Promise<GrantedAccess[]> {
  const merged = new Map<string, Set<RegistryAction>>();
  for (const scope of scopes) {
    if (scope.type !== 'repository') continue;
    const wanted = new Set(scope.actions.includes('*') ? ['pull', 'push'] : scope.actions);
    const granted = merged.get(scope.name) ?? new Set<RegistryAction>();
    for (const action of ['pull', 'push'] as const) {
      if (!wanted.has(action) || granted.has(action)) continue;
      let allowed = false;
      if (principal.kind === 'caller') allowed = await callerMay(principal.caller, scope.name, action);
      else {
        const { claims, caller } = principal;
        allowed = claims.repository === scope.name && claims.actions.includes(action);
        if (allowed && caller) allowed = await callerMay(caller, scope.name, action);
      }
      if (allowed) granted.add(action);
    }
    merged.set(scope.name, granted);
  }
  return [...merged]
    .filter(([, actions]) => actions.size > 0)
    .map(([name, actions]) => ({ type: 'repository', name, actions: [...actions] }));
}

const error = (status: 400 | 401, code: string, message: string): TokenResponse => ({
  status,
  body: { errors: [{ code, message }] },
});

/** A bearer token the registry accepts, for `access` (which may be empty: then it only authenticates). */
export async function signRegistryToken(
  config: TokenServiceConfig,
  grantee: { subject: string; access: GrantedAccess[]; notAfter: Date | null },
): Promise<{ token: string; now: number; exp: number }> {
  const key = await config.signingKey();
  const now = Math.floor(Date.now() / 1000);
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
): Promise<TokenResponse> {
  const parsed = parseTokenRequest(request.params);
  if (parsed.service !== null && parsed.service !== config.service)
    return error(400, 'UNSUPPORTED', `Unknown service '${parsed.service}'; this is '${config.service}'.`);
  const basic = parseBasicAuth(request.authorization);
  if (!basic)
    return error(401, 'UNAUTHORIZED', 'Log in with a Rise user name and registry password or API token.');
  const principal = await authenticate(config, basic.username, basic.password);
  if (!principal)
    return error(
      401,
      'UNAUTHORIZED',
      'Invalid, expired or revoked registry credentials; ask Rise for new ones (`rise d c` does).',
    );

  const access = await grant(principal, parsed.scopes);
  const { token, now, exp } = await signRegistryToken(config, {
    subject: principal.subject,
    access,
    notAfter: principal.kind === 'credential' ? principal.claims.expiresAt : null,
  });
  return {
    status: 200,
    body: {
      token,
      access_token: token,
      expires_in: Math.max(exp - now, 1),
      issued_at: new Date(now * 1000).toISOString(),
    },
    access,
    subject: principal.subject,
  };
}
