import type { ClaimRules } from './service-account.schema';

function claimMatches(name: string, actual: unknown, expected: string | number | boolean): boolean {
  // `aud` may be an array in a JWT (RFC 7519 §4.1.3); the rule matches if it is one of them.
  if (name === 'aud' && Array.isArray(actual)) return actual.includes(expected);
  return actual === expected;
}

/** The names of the claims in `rules` that `payload` does not carry with exactly the required value. */
export function mismatchedClaims(rules: ClaimRules, payload: Record<string, unknown>): string[] {
  return Object.entries(rules)
    .filter(([name, expected]) => !claimMatches(name, payload[name], expected))
    .map(([name]) => name);
}

const MAX_VALUE_LENGTH = 80;

function tokenValue(value: unknown): string {
  if (value === undefined) return 'absent from the token';
  const text = JSON.stringify(value);
  const shown = text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
  return `the token has ${shown}`;
}

/**
 * Why a verified JWT matches none of its issuer's service accounts: the claims in which the closest one
 * (fewest differences) differs, with the token's own values. The required values are not shown: any
 * repository on a shared issuer (GitHub, GitLab.com) can present a token, and the rules of other
 * projects are not theirs to read.
 */
export function noMatchReason(issuer: string, candidates: ClaimRules[], payload: Record<string, unknown>) {
  if (candidates.length === 0)
    return `No service account trusts issuer ${issuer}; a project admin creates one with \`rise sa create\`.`;
  // Closest: fewest differing claims, then most claims that do match (the more specific account).
  const [closest] = candidates
    .map((rules) => {
      const mismatched = mismatchedClaims(rules, payload);
      return { mismatched, matched: Object.keys(rules).length - mismatched.length };
    })
    .sort((a, b) => a.mismatched.length - b.mismatched.length || b.matched - a.matched)
    .map(({ mismatched }) => mismatched);
  const differences = closest!.map((name) => `'${name}' (${tokenValue(payload[name])})`).join(', ');
  return `No service account matches this token's claims (issuer ${issuer}): the closest one requires a different ${differences}.`;
}
