import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { BackupStore } from './backup-store';
import { LocalDirectoryStore } from './local-directory-store';
import { S3Store } from './s3-store';

export const localBackupDestinationSchema = z.object({
  kind: z.literal('local'),
  path: z.string().min(1).refine(isAbsolute, 'path must be absolute'),
});

export const s3BackupDestinationSchema = z.object({
  kind: z.literal('s3'),
  endpoint: z.url().optional(),
  region: z.string().min(1),
  bucket: z.string().min(3).max(63),
  prefix: z
    .string()
    .max(512)
    .refine(
      (p) => !p.split('/').some((s) => s === '.' || s === '..'),
      'prefix must not contain . or .. segments',
    )
    .optional(),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  forcePathStyle: z.boolean().optional(),
});

export const backupDestinationSchema = z.discriminatedUnion('kind', [
  localBackupDestinationSchema,
  s3BackupDestinationSchema,
]);

export type BackupDestinationConfig = z.infer<typeof backupDestinationSchema>;

/** Validates a destination config and opens the matching store. */
export function createBackupStore(config: BackupDestinationConfig): BackupStore {
  const parsed = backupDestinationSchema.parse(config);
  if (parsed.kind === 'local') return new LocalDirectoryStore(parsed.path);
  return new S3Store(parsed);
}

/** The config with secrets replaced, safe to log or return to clients. */
export function redactBackupDestination(config: BackupDestinationConfig): BackupDestinationConfig {
  return config.kind === 's3' ? { ...config, secretAccessKey: '***' } : config;
}
