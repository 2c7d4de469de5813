import { z } from 'zod';

export const createTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  /** Days until the token stops working; null for a token that never expires. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
});

export const tokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
