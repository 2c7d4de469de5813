import { env } from '@/env';

/**
 * Where sign-in may send the user afterwards: a page on Rise's own origin (private apps come back
 * through Rise's /api/proxy/authorize, which is on it). Anything else becomes `/`, so sign-in is never
 * an open redirect; URLs are resolved as a browser would (`/\evil.example` is `//evil.example`).
 */
export function safeReturnUrl(value: unknown, config = env): string {
  if (typeof value !== 'string' || value === '') return '/';
  const rise = new URL(config.RISE_URL);
  try {
    const url = new URL(value, rise);
    if (url.origin !== rise.origin) return '/';
    return value.startsWith('/') ? `${url.pathname}${url.search}${url.hash}` : url.toString();
  } catch {
    return '/';
  }
}
