import { z } from 'zod';

const claimValue = z.union([z.string(), z.number(), z.boolean()]);

export const createServiceAccountInput = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { message: 'Use lowercase letters, digits and hyphens.' }),
  issuer: z.url(),
  /** Claims the JWT must carry with exactly these values; `aud` is required. */
  claims: z
    .record(z.string().min(1), claimValue)
    .refine((claims) => typeof claims.aud === 'string' && claims.aud.length > 0, {
      message: "Claims must include 'aud' (the audience your CI requests for Rise).",
    }),
  role: z.enum(['viewer', 'developer', 'admin']).default('developer'),
});

export const serviceAccountView = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  claims: z.record(z.string(), claimValue),
  role: z.enum(['owner', 'admin', 'developer', 'viewer']),
  createdAt: z.date(),
});

export type ClaimRules = Record<string, string | number | boolean>;
