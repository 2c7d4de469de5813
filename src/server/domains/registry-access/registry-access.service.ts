import { authorizeProject } from '@/server/domains/access/access.service';
import type { Caller } from '@/server/domains/access/caller';
import type { ProjectAction } from '@/server/domains/access/permissions';
import { withConfiguredAdmins } from '@/server/domains/access/platform-admins';
import { authenticateToken, looksLikeApiToken } from '@/server/domains/tokens/token.service';
import { userRepo } from '@/server/domains/users/user.repo';
import { AppError } from '@/server/errors';
import {
  type CredentialClaims,
  GENERIC_USERNAME,
  looksLikeCredential,
  type RegistryAction,
} from '@/server/registry/registry-credential';
import type { GrantedAccess, RegistryAccessDecision, ResourceScope } from '@/server/registry/token-service';

/**
 * Who may pull or push what in Rise's registry. The token endpoint (registry/token-service.ts) speaks
 * the protocol and asks this service for the decision on each parsed request.
 */

/** Who presented the Basic credentials, or null when they are wrong. */
type Principal =
  | { kind: 'caller'; subject: string; caller: Caller }
  | { kind: 'credential'; subject: string; caller: Caller | null; claims: CredentialClaims };

/** Checks a registry password (a signed credential) and returns its claims, or null when invalid or expired. */
export type CredentialVerifier = (password: string) => Promise<CredentialClaims | null>;

async function authenticate(
  login: { username: string; password: string },
  verifyCredential: CredentialVerifier,
): Promise<Principal | null> {
  const { username, password } = login;
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
    };
  }
  if (looksLikeCredential(password)) {
    const claims = await verifyCredential(password);
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

/**
 * Who `login` is and which of `scopes` they may have; null when the credentials are wrong, expired
 * or revoked. A registry password's token never outlives the password.
 */
export async function decideRegistryAccess(
  login: { username: string; password: string },
  scopes: ResourceScope[],
  verifyCredential: CredentialVerifier,
): Promise<RegistryAccessDecision | null> {
  const principal = await authenticate(login, verifyCredential);
  if (!principal) return null;
  return {
    subject: principal.subject,
    access: await grant(principal, scopes),
    notAfter: principal.kind === 'credential' ? principal.claims.expiresAt : null,
  };
}
