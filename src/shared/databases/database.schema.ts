import { z } from 'zod';
import { DATABASE_ENGINES } from '@/shared/databases/engines';
import { envVarKey } from '@/shared/env-vars/env-var.schema';

export { DATABASE_ENGINES };
export const databaseEngine = z.enum(DATABASE_ENGINES, {
  message: `Engine must be one of: ${DATABASE_ENGINES.join(', ')}.`,
});

/** A database's name within its project: a DNS label, because it becomes part of the host name. */
export const databaseName = z.string().regex(/^[a-z][a-z0-9-]{0,29}[a-z0-9]$|^[a-z]$/, {
  message: 'Database names are 1-31 lowercase letters, digits and hyphens, starting with a letter.',
});

/** `DATABASE` gives DATABASE_URL, DATABASE_HOST, ...; upper-case like env var names. */
export const envPrefix = envVarKey.refine((value) => /^[A-Z][A-Z0-9_]*$/.test(value), {
  message: 'The env prefix is upper-case letters, digits and underscores, e.g. DATABASE.',
});

export const databaseLimits = z.object({
  cpuLimit: z.number().positive().max(64).nullable().optional(),
  memoryLimitMb: z.number().int().min(32).max(1_048_576).nullable().optional(),
});

export const createDatabaseInput = z
  .object({
    name: databaseName,
    engine: databaseEngine,
    /** Link to the project under this prefix; omitted = the engine's default (DATABASE / REDIS); null = not linked. */
    envPrefix: envPrefix.nullable().optional(),
  })
  .extend(databaseLimits.shape);

export const databaseView = z.object({
  id: z.string(),
  name: z.string(),
  engine: databaseEngine,
  image: z.string(),
  status: z.enum(['provisioning', 'running', 'stopped', 'restoring', 'failed']),
  error: z.string().nullable(),
  host: z.string(),
  port: z.number(),
  username: z.string(),
  databaseName: z.string(),
  envPrefix: z.string().nullable(),
  /** The names of the env vars a linked database gives the project (values are secret). */
  envKeys: z.array(z.string()),
  cpuLimit: z.number().nullable(),
  memoryLimitMb: z.number().nullable(),
  createdAt: z.date(),
});
export type DatabaseView = z.infer<typeof databaseView>;
