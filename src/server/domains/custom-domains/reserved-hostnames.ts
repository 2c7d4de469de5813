import { isIP } from 'node:net';
import { env as processEnv } from '@/env';

/** The names that belong to Rise itself and so can never be a project's custom domain. */
export type PlatformHosts = {
  /** Host of RISE_URL: the dashboard, sign-in, session cookies and CLI tokens live there. */
  riseHost: string;
  /** Host of RISE_REGISTRY_HOST, without its port. */
  registryHost: string;
  /** RISE_BASE_DOMAIN: projects get `<name>.<base>` from Rise; nothing under it is a custom domain. */
  baseDomain: string;
};

export function platformHostsFromEnv(env = processEnv): PlatformHosts {
  return {
    riseHost: new URL(env.RISE_URL).hostname,
    registryHost: hostWithoutPort(env.RISE_REGISTRY_HOST),
    baseDomain: env.RISE_BASE_DOMAIN,
  };
}

/** `registry.example.com:5000` → `registry.example.com`; `[::1]:5000` → `::1`. */
export function hostWithoutPort(hostPort: string): string {
  const host = hostPort.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.split(':').length === 2 ? host.replace(/:\d+$/, '') : host;
}

const normalise = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');
const isUnder = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/**
 * Why `hostname` cannot be a custom domain, as a message that says what to do instead; null when it
 * may be claimed (and then proven).
 */
export function reservedHostnameReason(hostname: string, platform: PlatformHosts): string | null {
  const host = normalise(hostname);
  const rise = normalise(platform.riseHost);
  const base = normalise(platform.baseDomain);
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) {
    return `${host} is an IP address; a custom domain must be a DNS name such as app.example.com.`;
  }
  if (isUnder(host, 'localhost')) {
    return `${host} is a localhost name; a custom domain must be a public DNS name such as app.example.com.`;
  }
  if (isUnder(host, rise)) {
    return `${host} is Rise's own address (RISE_URL) or under it; choose a domain of your own, such as app.example.com.`;
  }
  if (host === normalise(platform.registryHost)) {
    return `${host} is Rise's registry (RISE_REGISTRY_HOST); choose a domain of your own, such as app.example.com.`;
  }
  if (base && isUnder(host, base)) {
    return `${host} is under Rise's base domain ${base}; projects already get <name>.${base}, so choose a domain of your own.`;
  }
  return null;
}
