import { env } from '@/env';

/** The public URL of a project: `https://<project>.<base domain>` (http and a port locally). */
export function projectUrl(name: string, config = env): string {
  const scheme = config.RISE_TLS_MODE === 'off' ? 'http' : 'https';
  const port = config.RISE_APPS_PORT ? `:${config.RISE_APPS_PORT}` : '';
  return `${scheme}://${name}.${config.RISE_BASE_DOMAIN}${port}`;
}
