import { z } from 'zod';
import {
  claimValue,
  SERVICE_ACCOUNT_ROLES,
  serviceAccountClaims,
  serviceAccountName,
} from '@/shared/service-accounts/service-account.schema';

export const createServiceAccountInput = z.object({
  name: serviceAccountName,
  issuer: z.url(),
  /** Claims the JWT must carry with exactly these values; `aud` and at least one other are required. */
  claims: serviceAccountClaims,
  role: z.enum(SERVICE_ACCOUNT_ROLES).default('developer'),
});

export const serviceAccountView = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  claims: z.record(z.string(), claimValue),
  role: z.enum(['owner', 'admin', 'developer', 'viewer']),
  createdAt: z.date(),
});

/** Names one service account of a project: its id or its name. */
export const serviceAccountReference = z.string().min(1).max(100);

export type { ClaimRules } from '@/shared/service-accounts/service-account.schema';
