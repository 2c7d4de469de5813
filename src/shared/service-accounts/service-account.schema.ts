import { z } from 'zod';

/** A service account's name: unique in its project. */
export const serviceAccountName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
  message: 'Use lowercase letters, digits and hyphens, starting with a letter (at most 63).',
});

/** The roles a service account may be given (never owner). */
export const SERVICE_ACCOUNT_ROLES = ['viewer', 'developer', 'admin'] as const;

/** A claim value a service account's JWT must carry exactly (CI claims are strings in practice). */
export const claimValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The claims a service account's JWT must carry with exactly these values. `aud` (the audience the CI
 * job requests for Rise) is required, and so is at least one more claim: an issuer such as GitHub signs
 * tokens for every repository it hosts, so `aud` alone would let any of them act as this account.
 */
export const serviceAccountClaims = z
  .record(z.string().min(1, { message: 'Claim names cannot be empty.' }), claimValue)
  .refine((claims) => typeof claims.aud === 'string' && claims.aud.length > 0, {
    message: "Claims must include 'aud' (the audience your CI requests for Rise).",
  })
  .refine((claims) => Object.keys(claims).some((name) => name !== 'aud'), {
    message:
      "Claims need at least one besides 'aud' (e.g. repository=acme/app or project_path=acme/app): the issuer signs tokens for other repositories too.",
  });

export type ClaimRules = z.infer<typeof serviceAccountClaims>;
