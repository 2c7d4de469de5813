import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two strings in time that depends on their lengths only, never on where they differ. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; comparing `b` with itself keeps the time independent of `a`.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export const hmacSha256Hex = (secret: string, body: Uint8Array) =>
  createHmac('sha256', secret).update(body).digest('hex');

/** `header` is `<prefix><hex HMAC-SHA256(secret, body)>` (GitHub, Bitbucket: `sha256=`; Gitea: none). */
export function hmacHeaderMatches(
  header: string | null,
  prefix: string,
  secret: string,
  body: Uint8Array,
): boolean {
  if (!header) return false;
  return constantTimeEqual(header.trim().toLowerCase(), `${prefix}${hmacSha256Hex(secret, body)}`);
}

/** `header` is the secret itself (GitLab's `X-Gitlab-Token`). */
export function tokenHeaderMatches(header: string | null, secret: string): boolean {
  if (!header) return false;
  return constantTimeEqual(header, secret);
}
