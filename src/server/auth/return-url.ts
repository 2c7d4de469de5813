import { env } from '@/env';

/**
 * Where sign-in may send the user afterwards: a path on Rise, or an app under the base domain (a
 * private project's page). Anything else becomes `/`, so sign-in is never an open redirect.
 */
export function safeReturnUrl(value: unknown, config = env): string {
  if (typeof value !== 'string' || value === '') return '/';
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const url = new URL(value);
    const base = config.RISE_BASE_DOMAIN;
    const underBase = url.hostname === base || url.hostname.endsWith(`.${base}`);
    const sameOrigin = url.origin === new URL(config.RISE_URL).origin;
    return (url.protocol === 'https:' || url.protocol === 'http:') && (underBase || sameOrigin)
      ? url.toString()
      : '/';
  } catch {
    return '/';
  }
}
