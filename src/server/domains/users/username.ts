/** Turns an email or display name into a username candidate: lowercase DNS-label characters. */
export function usernameCandidate(source: string): string {
  const base = source
    .split('@')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 39);
  return /^[a-z]/.test(base) ? base : `u-${base || 'user'}`;
}

export const USERNAME_PATTERN = /^[a-z][a-z0-9-]{0,38}$/;
