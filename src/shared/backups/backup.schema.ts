import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

export const destinationName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, {
  message: 'Destination names are up to 40 lowercase letters, digits and hyphens, starting with a letter.',
});

const relativePath = z
  .string()
  .max(512)
  .refine((value) => !value.startsWith('/') && !value.split('/').some((part) => part === '..'), {
    message: "The path is relative to Rise's backup directory and must not contain '..'.",
  });

export const destinationInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), name: destinationName, path: relativePath.default('') }),
  z.object({
    kind: z.literal('s3'),
    name: destinationName,
    endpoint: z
      .url({ message: 'The endpoint is a URL such as https://s3.eu-central-1.amazonaws.com.' })
      .optional(),
    region: z.string().min(1).default('us-east-1'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'Not a valid bucket name.' }),
    prefix: relativePath.optional(),
    forcePathStyle: z.boolean().default(false),
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
  }),
]);
export type DestinationInput = z.output<typeof destinationInput>;

export const destinationView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 's3']),
  /** Where it writes, without credentials: a path, or s3://bucket/prefix at the endpoint. */
  location: z.string(),
  createdAt: z.date(),
});

export const cronExpression = z.string().refine(
  (value) => {
    try {
      CronExpressionParser.parse(value, { tz: 'UTC' });
      return value.trim().split(/\s+/).length === 5;
    } catch {
      return false;
    }
  },
  { message: "Expected a 5-field cron expression in UTC, e.g. '0 3 * * *' (daily at 03:00)." },
);

export const retentionInput = z.object({
  keepLast: z.number().int().min(1).max(1000).nullable().default(7),
  maxAgeDays: z.number().int().min(1).max(3650).nullable().default(null),
});

export const scheduleInput = z
  .object({
    cron: cronExpression,
    destination: destinationName.default('local'),
    encrypt: z.boolean().default(false),
  })
  .extend(retentionInput.shape);

export const scheduleView = z.object({
  id: z.string(),
  cron: z.string(),
  destination: z.string(),
  keepLast: z.number().nullable(),
  maxAgeDays: z.number().nullable(),
  encrypt: z.boolean(),
  enabled: z.boolean(),
  nextRunAt: z.date().nullable(),
});

export const backupStatus = z.enum(['pending', 'running', 'succeeded', 'failed']);

export const backupView = z.object({
  id: z.string(),
  database: z.string().nullable(),
  scheduleId: z.string().nullable(),
  destination: z.string(),
  status: backupStatus,
  trigger: z.enum(['schedule', 'manual']),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  encrypted: z.boolean(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type BackupView = z.infer<typeof backupView>;

export const restoreMode = z.enum(['in_place', 'new_database', 'drill']);

export const drillReport = z.object({
  passed: z.boolean(),
  tables: z.array(
    z.object({ table: z.string(), expected: z.number().nullable(), restored: z.number().nullable() }),
  ),
});
export type DrillReport = z.infer<typeof drillReport>;

export const restoreView = z.object({
  id: z.string(),
  backupId: z.string(),
  mode: restoreMode,
  status: backupStatus,
  targetDatabase: z.string().nullable(),
  report: drillReport.nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});
export type RestoreView = z.infer<typeof restoreView>;

export const nextRun = (cron: string, from = new Date()): Date | null => {
  try {
    return CronExpressionParser.parse(cron, { tz: 'UTC', currentDate: from }).next().toDate();
  } catch {
    return null;
  }
};

/** A page of a history, newest first: `cursor` is the last id of the previous page. */
export const historyPageInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).nullish(),
});
export type HistoryPage = { limit?: number; cursor?: string | null };
