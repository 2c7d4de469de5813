import { env } from '@/env';
import type { Caller } from '@/server/auth/caller';
import { getDb } from '@/server/db';
import { projectRoleOf } from '../access/access.service';
import { domainRepo } from '../custom-domains/domain.repo';
import { platformHostsFromEnv, reservedHostnameReason } from '../custom-domains/reserved-hostnames';

/**
 * The project served at `host`: `<project>.<base domain>` or one of its verified custom domains. Rise's
 * own names (its URL's host, the registry) are never a project's, whatever a stale row says.
 */
export async function projectForHost(host: string, baseDomain = env.RISE_BASE_DOMAIN) {
  const hostname = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const platform = { ...platformHostsFromEnv(), baseDomain };
  if (hostname === platform.riseHost || hostname === platform.registryHost) return null;
  const suffix = `.${baseDomain}`;
  if (hostname.endsWith(suffix)) {
    const name = hostname.slice(0, -suffix.length);
    const project = await getDb().project.findUnique({ where: { name } });
    if (project) return project;
  }
  if (reservedHostnameReason(hostname, platform)) return null;
  return (await domainRepo.findVerifiedWithProject(hostname))?.project ?? null;
}

export type ProxyDecision =
  | { outcome: 'allow'; user: string | null }
  | { outcome: 'sign-in' }
  | { outcome: 'forbidden' }
  | { outcome: 'unknown-host' };

/** Forward-auth for an app request: public apps pass; private ones need a member of the owner. */
export async function decideProxyAccess(host: string, caller: Caller | null): Promise<ProxyDecision> {
  const project = await projectForHost(host);
  if (!project) return { outcome: 'unknown-host' };
  const who = caller?.kind === 'user' ? caller.user.username : null;
  if (project.visibility === 'public') return { outcome: 'allow', user: who };
  if (!caller) return { outcome: 'sign-in' };
  return (await projectRoleOf(caller, project)) ? { outcome: 'allow', user: who } : { outcome: 'forbidden' };
}

/**
 * On-demand TLS: Caddy may only obtain certificates for hosts Rise serves (apps and Rise itself); a
 * pending custom domain is not served until its owner proved it.
 */
export async function isServedHost(host: string, riseUrl = env.RISE_URL): Promise<boolean> {
  if (host.toLowerCase() === new URL(riseUrl).hostname) return true;
  return (await projectForHost(host)) !== null;
}
