import { env } from '@/env';
import { DEFAULT_GROUP, groupHost } from '@/shared/deployment-groups';

type UrlConfig = Pick<
  typeof env,
  'RISE_TLS_MODE' | 'RISE_APPS_PORT' | 'RISE_BASE_DOMAIN' | 'RISE_GROUP_HOST_TEMPLATE'
>;

/** The URL apps are served at on `host` (http and a port locally). */
export function hostUrl(host: string, config: UrlConfig = env): string {
  const scheme = config.RISE_TLS_MODE === 'off' ? 'http' : 'https';
  const port = config.RISE_APPS_PORT ? `:${config.RISE_APPS_PORT}` : '';
  return `${scheme}://${host}${port}`;
}

/** The public URL of a project: `https://<project>.<base domain>` (http and a port locally). */
export function projectUrl(name: string, config: UrlConfig = env): string {
  return hostUrl(`${name}.${config.RISE_BASE_DOMAIN}`, config);
}

/** The host of a project's deployment group: the project's own for `default`, else RISE_GROUP_HOST_TEMPLATE's. */
export function groupHostOf(project: string, group: string, config: UrlConfig = env): string {
  return group === DEFAULT_GROUP
    ? `${project}.${config.RISE_BASE_DOMAIN}`
    : groupHost(config.RISE_GROUP_HOST_TEMPLATE, { project, group, base: config.RISE_BASE_DOMAIN });
}

/** The URL of a project's deployment group. */
export function groupUrl(project: string, group: string, config: UrlConfig = env): string {
  return hostUrl(groupHostOf(project, group, config), config);
}
