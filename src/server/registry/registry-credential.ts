import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { RegistrySigningKey } from './signing-key';

/**
 * Short-lived registry passwords of the built-in provider: a JWT signed with the registry signing key,
 * bound to one repository and its actions. Its audience differs from the registry's `service`, so the
 * registry never accepts one as a bearer token; only Rise's token endpoint takes it, as a password.
 */
export const CREDENTIAL_AUDIENCE = 'rise-registry-credential';
const CREDENTIAL_TYPE = 'rise-registry-credential+jwt';

/** The user name of the worker's credentials: pull only, one project's repository, minutes long. */
export const WORKER_USERNAME = 'rise-worker';
/** The user name of a server build's push credentials. */
export const BUILDER_USERNAME = 'rise-builder';
/** Accepted as the user name with any Rise credential (an API token or a registry password). */
export const GENERIC_USERNAME = 'rise';

export type RegistryAction = 'pull' | 'push';

export type CredentialSubject =
  | { kind: 'user'; userId: string; username: string }
  | { kind: 'service-account'; serviceAccountId: string; name: string }
  /** The worker deploying a project: it may only pull that project's repository. */
  | { kind: 'worker'; project: string }
  /** The worker building one deployment of a project: pull and push that project's repository only. */
  | { kind: 'build'; project: string; deploymentId: string };

export type CredentialClaims = {
  subject: CredentialSubject;
  username: string;
  repository: string;
  actions: RegistryAction[];
  expiresAt: Date;
};

export async function signCredential(
  key: RegistrySigningKey,
  input: { subject: CredentialSubject; repository: string; actions: RegistryAction[]; ttlSeconds: number },
  issuer: string,
  /** When the credential is issued (tests sign one issued in the past). */
  issuedAt: Date = new Date(),
): Promise<{ username: string; password: string; expiresAt: Date }> {
  const now = Math.floor(issuedAt.getTime() / 1000);
  const exp = now + Math.min(input.ttlSeconds, 900);
  const { subject } = input;
  const username =
    subject.kind === 'user'
      ? subject.username
      : subject.kind === 'worker'
        ? WORKER_USERNAME
        : subject.kind === 'build'
          ? BUILDER_USERNAME
          : GENERIC_USERNAME;
  const subjectClaim =
    subject.kind === 'user'
      ? { uid: subject.userId }
      : subject.kind === 'worker'
        ? { wproject: subject.project }
        : subject.kind === 'build'
          ? { bproject: subject.project, bdeployment: subject.deploymentId }
          : { said: subject.serviceAccountId, sa: subject.name };
  const password = await new SignJWT({
    ...subjectClaim,
    repository: input.repository,
    actions: input.actions,
  })
    .setProtectedHeader({ alg: key.alg, typ: CREDENTIAL_TYPE, kid: key.kid })
    .setIssuer(issuer)
    .setAudience(CREDENTIAL_AUDIENCE)
    .setSubject(username)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { username, password, expiresAt: new Date(exp * 1000) };
}

export const looksLikeCredential = (value: string) => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(value);

/** The claims of a valid, unexpired registry password; null when it is not one (or expired). */
export async function verifyCredential(
  key: RegistrySigningKey,
  password: string,
  issuer: string,
): Promise<CredentialClaims | null> {
  try {
    const { payload } = await jwtVerify(password, key.publicKey, {
      issuer,
      audience: CREDENTIAL_AUDIENCE,
      typ: CREDENTIAL_TYPE,
      algorithms: [key.alg],
      requiredClaims: ['exp', 'sub'],
    });
    const repository = typeof payload.repository === 'string' ? payload.repository : null;
    const actions = Array.isArray(payload.actions)
      ? payload.actions.filter((a): a is RegistryAction => a === 'pull' || a === 'push')
      : [];
    if (!repository || !payload.sub || !payload.exp) return null;
    let subject: CredentialSubject;
    if (typeof payload.uid === 'string')
      subject = { kind: 'user', userId: payload.uid, username: payload.sub };
    else if (typeof payload.wproject === 'string') {
      // Pull only, its own project's repository, whatever else the token might list.
      if (actions.some((action) => action !== 'pull') || payload.wproject !== repository) return null;
      subject = { kind: 'worker', project: payload.wproject };
    } else if (typeof payload.bproject === 'string' && typeof payload.bdeployment === 'string') {
      // A server build: its own project's repository only.
      if (payload.bproject !== repository) return null;
      subject = { kind: 'build', project: payload.bproject, deploymentId: payload.bdeployment };
    } else if (typeof payload.said === 'string' && typeof payload.sa === 'string')
      subject = { kind: 'service-account', serviceAccountId: payload.said, name: payload.sa };
    else return null;
    return { subject, username: payload.sub, repository, actions, expiresAt: new Date(payload.exp * 1000) };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}
