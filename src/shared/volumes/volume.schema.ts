import { z } from 'zod';

/** A DNS label: it names a Docker volume part and a Kubernetes PersistentVolumeClaim. */
export const volumeName = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, {
    message:
      'Expected a volume name of 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit (e.g. data).',
  });

/** System paths a volume may not hide: the container would not work with an empty one there. */
const RESERVED_MOUNTS = ['/proc', '/sys', '/dev'];

export const mountPath = z
  .string()
  .trim()
  .max(255)
  .superRefine((path, ctx) => {
    const problem = mountPathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((path) => path.replace(/\/+$/, ''));

function mountPathProblem(path: string): string | null {
  if (!path.startsWith('/')) return `Mount path ${JSON.stringify(path)} must be absolute (e.g. /data).`;
  const normalised = path.replace(/\/+$/, '');
  if (normalised === '')
    return 'Mount path / would hide the whole container: pick a directory such as /data.';
  const parts = normalised.split('/').slice(1);
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    return `Mount path ${JSON.stringify(path)} must not contain empty, '.' or '..' parts.`;
  }
  if (!parts.every((part) => /^[A-Za-z0-9._@+-]+$/.test(part))) {
    return `Mount path ${JSON.stringify(path)} may only contain letters, digits and . _ @ + - in its parts.`;
  }
  const reserved = RESERVED_MOUNTS.find((root) => normalised === root || normalised.startsWith(`${root}/`));
  if (reserved) return `Mount path ${JSON.stringify(path)} is under ${reserved}, which the runtime owns.`;
  return null;
}

const UNITS = { Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as const;
/** The largest size accepted (a typo guard, not a quota). */
const MAX_SIZE_BYTES = 16 * UNITS.Ti;

const SIZE = /^[1-9][0-9]{0,6}(Mi|Gi|Ti)$/;

/** A Kubernetes binary quantity: `512Mi`, `1Gi`, `2Ti`. */
export const volumeSize = z
  .string()
  .trim()
  .regex(SIZE, {
    message: 'Expected a size such as 512Mi, 1Gi or 2Ti (a whole number followed by Mi, Gi or Ti).',
  })
  // zod runs this check after a failed regex too: only sizes of the right form are measured.
  .refine((size) => !SIZE.test(size) || sizeBytes(size) <= MAX_SIZE_BYTES, {
    message: 'A volume can be at most 16Ti.',
  });

export const DEFAULT_VOLUME_SIZE = '1Gi';

export function sizeBytes(size: string): number {
  const match = /^(\d+)(Mi|Gi|Ti)$/.exec(size);
  if (!match) throw new Error(`not a volume size: ${size}`);
  return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
}

export const createVolumeInput = z.object({
  name: volumeName,
  mountPath,
  size: volumeSize.default(DEFAULT_VOLUME_SIZE),
});

export const volumeBackupScheduleView = z.object({
  cron: z.string(),
  destination: z.string(),
  /** Scheduled backups kept (older ones are deleted, with their archives); null: all. */
  keep: z.number().nullable(),
  encrypt: z.boolean(),
});

export const volumeView = z.object({
  name: z.string(),
  mountPath: z.string(),
  size: z.string(),
  backupSchedule: volumeBackupScheduleView.nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});

export type VolumeView = z.infer<typeof volumeView>;

export const volumeBackupView = z.object({
  id: z.string(),
  volume: z.string(),
  destination: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed']),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  encrypted: z.boolean(),
  /** Files in its manifest (SHA-256 per file, stored beside the archive). */
  files: z.number().nullable(),
  error: z.string().nullable(),
  /** The last drill: restored into a scratch volume and compared with the manifest. */
  drill: z
    .object({
      at: z.date(),
      ok: z.boolean(),
      missing: z.array(z.string()),
      extra: z.array(z.string()),
      changed: z.array(z.string()),
      error: z.string().nullable(),
    })
    .nullable(),
  restoredAt: z.date().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export type VolumeBackupView = z.infer<typeof volumeBackupView>;

export const volumeBackupAction = z.enum(['backup', 'drill', 'restore']);
export type VolumeBackupAction = z.infer<typeof volumeBackupAction>;
