import { env } from '@/env';

/**
 * One cookie name shared by NextAuth, local sign-in and the API, so all three see one session. The
 * cookie is host-only (no Domain attribute): it reaches Rise's host and never an app's; private apps
 * get their own per-host cookie through the handshake (src/app/api/proxy/authorize).
 */
export function sessionCookie(config = env) {
  const secure = new URL(config.RISE_URL).protocol === 'https:';
  return { name: secure ? '__Secure-rise.session-token' : 'rise.session-token', secure };
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      return decodeURIComponent(part.slice(index + 1).trim());
    }
  }
  return null;
}
