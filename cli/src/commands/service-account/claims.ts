import { InvalidArgumentError } from 'commander';
import {
  type ClaimRules,
  serviceAccountClaims,
} from '../../../../src/shared/service-accounts/service-account.schema';
import { CliError, EXIT } from '../../lib/errors';

/** One `--claim name=value` (a commander argument parser: collects repeated flags in order). */
export function claimPair(text: string, previous: [string, string][] = []): [string, string][] {
  const index = text.indexOf('=');
  const name = text.slice(0, index).trim();
  if (index <= 0 || name === '') throw new InvalidArgumentError(`expected name=value, e.g. aud=rise`);
  const value = text.slice(index + 1);
  if (value === '') throw new InvalidArgumentError(`claim '${name}' has no value`);
  return [...previous, [name, value]];
}

/**
 * The claim rules the `--claim` flags give, checked as the API checks them (`aud` and at least one
 * more), before anything is sent. Values are matched as strings, as CI issuers sign them.
 */
export function claimRules(pairs: [string, string][]): ClaimRules {
  const rules: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (name in rules)
      throw new CliError(
        `Claim '${name}' is given twice; a service account needs one value per claim.`,
        EXIT.usage,
      );
    rules[name] = value;
  }
  const checked = serviceAccountClaims.safeParse(rules);
  if (!checked.success)
    throw new CliError(
      `${checked.error.issues[0]?.message} Example: --claim aud=rise --claim repository=acme/app`,
      EXIT.usage,
    );
  return checked.data;
}

/**
 * A name from the claims besides `aud`, when --name is not given: `repository=acme/app`,
 * `ref=refs/heads/main` → `acme-app-refs-heads-main` (at most 63 characters, starting with a letter).
 */
export function defaultServiceAccountName(rules: ClaimRules): string {
  const words = Object.entries(rules)
    .filter(([name]) => name !== 'aud')
    .map(([, value]) => String(value))
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = /^[a-z]/.test(words) ? words : `ci-${words}`;
  return name.slice(0, 63).replace(/-+$/, '') || 'ci';
}

/** `aud=rise, ref=refs/heads/main, repository=acme/app`: aud first, then by name (stored order varies). */
export const describeClaims = (rules: ClaimRules) =>
  Object.entries(rules)
    .sort(([a], [b]) => (a === 'aud' ? -1 : b === 'aud' ? 1 : a.localeCompare(b)))
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
