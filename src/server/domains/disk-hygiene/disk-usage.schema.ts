import { z } from 'zod';

export const diskLevel = z.enum(['ok', 'warning', 'critical']);
export type DiskLevel = z.infer<typeof diskLevel>;

export const diskUsage = z.object({
  /** The filesystem holding RISE_DATA_DIR. */
  filesystem: z.object({
    path: z.string(),
    totalBytes: z.number(),
    freeBytes: z.number(),
    usedPercent: z.number(),
    level: diskLevel,
    warningPercent: z.number(),
    criticalPercent: z.number(),
  }),
  /** Rise's data directories (database, registry storage, backups, ...) with their sizes. */
  dataDirs: z.array(z.object({ name: z.string(), path: z.string(), bytes: z.number() })),
  /** `docker system df`: null when the engine did not answer (then `dockerError` says why). */
  docker: z
    .object({
      images: z.object({
        count: z.number(),
        bytes: z.number(),
        riseCount: z.number(),
        riseBytes: z.number(),
      }),
      volumes: z.object({ count: z.number(), bytes: z.number() }),
      containers: z.object({ count: z.number(), bytes: z.number() }),
      buildCacheBytes: z.number(),
    })
    .nullable(),
  dockerError: z.string().nullable(),
});
export type DiskUsage = z.infer<typeof diskUsage>;
