import { env } from '@/env';
import type { Caller } from '@/server/domains/access/caller';
import { withConfiguredAdmins } from '@/server/domains/access/platform-admins';
import { projectRoleOf } from '../access/access.service';
import { domainRepo } from '../custom-domains/domain.repo';
import { platformHostsFromEnv, reservedHostnameReason } from '../custom-domains/reserved-hostnames';
import { verifyAppSession } from './app-session';
import { proxyAccessRepo } from './proxy-access.repo';
import { proxyAuthCodeRepo } from './proxy-auth-code.repo';

/**
 * The project served at `host`: `<project>.<base domain>`, one of its preview groups' hosts, or one of
 * its verified custom domains. Rise's own names (its URL's host, the registry) are never a project's,
 * whatever a stale row says.
 */
export async function projectForHost(host: string, baseDomain = env.RISE_BASE_DOMAIN) {
  const hostname = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const platform = { ...platformHostsFromEnv(), baseDomain };
  if (hostname === platform.riseHost || hostname === platform.registryHost) return null;
  const suffix = `.${baseDomain}`;
  if (hostname.endsWith(suffix)) {
    const name = hostname.slice(0, -suffix.length);
    const project = await proxyAccessRepo.findProjectByName(name);
    if (project) return project;
  }
  const preview = await proxyAccessRepo.findProjectByGroupHost(hostname);
  if (preview) return preview;
  if (reservedHostnameReason(hostname, platform)) return null;
  return (await domainRepo.findVerifiedWithProject(hostname))?.project ?? null;
}

export type ProxyDecision =
  | {
      outcome: 'allow';
      user: string | null;
      /** True when the request's `Authorization` was Rise's credential: the proxy removes it. */
      consumedAuthorization: boolean;
    }
  | { outcome: 'sign-in' }
  | { outcome: 'forbidden' }
  | { outcome: 'unknown-host' };

/** What a request to an app carries for Rise: a bearer credential it recognised, and the app-session cookie. */
export type ProxyCredentials = { bearer: Caller | null; appSession: string | null };

/**
 * Forward-auth for an app request: public apps pass; private ones need a member of the owner, known
 * by a Rise bearer credential (CLI, API clients) or by the host's app-session cookie, whose project
 * must be this one and whose user must still be a member (checked on every request).
 */
export async function decideProxyAccess(
  host: string,
  credentials: ProxyCredentials,
  /** The project the proxy's route belongs to, when it says (ingress-nginx): another host's project is refused. */
  expectedProject: string | null = null,
): Promise<ProxyDecision> {
  const project = await projectForHost(host);
  if (!project || (expectedProject !== null && project.name !== expectedProject))
    return { outcome: 'unknown-host' };
  const { bearer } = credentials;
  const consumedAuthorization = bearer !== null;
  if (project.visibility === 'public') {
    return { outcome: 'allow', user: usernameOf(bearer), consumedAuthorization };
  }
  if (bearer) {
    return (await projectRoleOf(bearer, project))
      ? { outcome: 'allow', user: usernameOf(bearer), consumedAuthorization }
      : { outcome: 'forbidden' };
  }
  const session = credentials.appSession ? await verifyAppSession(credentials.appSession, project.id) : null;
  const user = session ? await proxyAuthCodeRepo.findUser(session.userId) : null;
  if (!user) return { outcome: 'sign-in' };
  const caller: Caller = { kind: 'user', user: withConfiguredAdmins(user), via: 'session' };
  return (await projectRoleOf(caller, project))
    ? { outcome: 'allow', user: user.username, consumedAuthorization: false }
    : { outcome: 'forbidden' };
}

function usernameOf(caller: Caller | null): string | null {
  return caller?.kind === 'user' ? caller.user.username : null;
}

/**
 * On-demand TLS: Caddy may only obtain certificates for hosts Rise serves (apps and Rise itself); a
 * pending custom domain is not served until its owner proved it.
 */
export async function isServedHost(host: string, riseUrl = env.RISE_URL): Promise<boolean> {
  if (host.toLowerCase() === new URL(riseUrl).hostname) return true;
  return (await projectForHost(host)) !== null;
}
