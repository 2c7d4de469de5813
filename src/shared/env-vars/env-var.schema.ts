import { z } from 'zod';

export const envVarKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, {
  message: 'Env var names are letters, digits and underscores and do not start with a digit.',
});

export const envVarView = z.object({
  key: z.string(),
  /** The value for plain vars; null for secrets, which are never sent back. */
  value: z.string().nullable(),
  secret: z.boolean(),
  updatedAt: z.date(),
});
