import { env } from '@/env';

/** One cookie name shared by NextAuth, local sign-in and the API, so all three see one session. */
export function sessionCookie(config = env) {
  const secure = new URL(config.RISE_URL).protocol === 'https:';
  return {
    name: secure ? '__Secure-rise.session-token' : 'rise.session-token',
    secure,
    domain: config.RISE_SESSION_COOKIE_DOMAIN,
  };
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
