import { env } from '@/env';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, notFound } from '@/server/errors';
import { decryptSecret, encryptSecret } from '@/server/security/secret-box';
import { inTransaction } from '@/server/transaction';
import { normalizeRegistryHost } from '@/shared/registry/image-reference';
import type { RegistryLoginView } from '@/shared/registry/registry-login.schema';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { registryLoginRepo } from './registry-login.repo';

type Project = { id: string; name: string; ownerTeamId: string | null };

/** RISE_REGISTRY_HOST keyed like logins (as written when it is not a registry host Rise would accept). */
function riseRegistryLoginHost(riseRegistryHost: string): string {
  try {
    return normalizeRegistryHost(riseRegistryHost);
  } catch {
    return riseRegistryHost.toLowerCase();
  }
}

export async function listRegistryLogins(project: Pick<Project, 'id'>): Promise<RegistryLoginView[]> {
  return (await registryLoginRepo.list(project.id)).map((row) => ({
    host: row.host,
    username: row.username,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}

/**
 * Stores (or replaces) the project's login for `host`, the password encrypted with RISE_ENCRYPTION_KEY.
 * Rise's own registry is refused: projects pull their repository there with credentials Rise issues.
 */
export async function setRegistryLogin(
  caller: Caller,
  project: Project,
  login: { host: string; username: string; password: string },
  riseRegistryHost: string = env.RISE_REGISTRY_HOST,
): Promise<RegistryLoginView[]> {
  if (login.host === riseRegistryLoginHost(riseRegistryHost))
    throw new AppError(
      'BAD_REQUEST',
      `${login.host} is Rise's own registry: project '${project.name}' pulls its repository ${login.host}/${project.name} there with credentials Rise issues for each deploy, so it needs no login. Store logins for other registries only.`,
      { host: login.host },
    );
  const sealed = encryptSecret(login.password);
  await inTransaction(async (tx) => {
    await registryLoginRepo.upsert(project.id, login.host, login.username, sealed, tx);
    await recordAudit(
      caller,
      {
        action: 'registry.login',
        ...projectAuditTarget(project),
        // The password stays out of the audit log.
        details: { host: login.host, username: login.username },
      },
      tx,
    );
  });
  return listRegistryLogins(project);
}

export async function removeRegistryLogin(
  caller: Caller,
  project: Project,
  host: string,
): Promise<RegistryLoginView[]> {
  await inTransaction(async (tx) => {
    if ((await registryLoginRepo.delete(project.id, host, tx)) === 0)
      throw notFound(`Project '${project.name}' has no login for ${host}.`, { host });
    await recordAudit(
      caller,
      {
        action: 'registry.logout',
        ...projectAuditTarget(project),
        details: { host },
      },
      tx,
    );
  });
  return listRegistryLogins(project);
}

/**
 * The decrypted login of `projectName` for `host` (normalized), or null: only for pulling that
 * project's images. No project can reach another's logins through it.
 */
export async function registryLoginForPull(
  projectName: string,
  host: string,
): Promise<{ username: string; password: string } | null> {
  const row = await registryLoginRepo.findForProject(projectName, host);
  return row ? { username: row.username, password: decryptSecret(row.password) } : null;
}

/** Whether any project holds a login for `host`: its images may be private, so access is always checked. */
export const registryHasLogins = (host: string) => registryLoginRepo.hostHasLogins(host);
