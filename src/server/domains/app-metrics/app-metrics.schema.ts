import { z } from 'zod';

export const metricsRange = z.enum(['1h', '6h', '24h', '7d', '30d']);
export type MetricsRange = z.infer<typeof metricsRange>;

export const RANGE_MS: Record<MetricsRange, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
  '30d': 30 * 24 * 3_600_000,
};

export const seriesInput = z.object({ range: metricsRange.default('1h') });

export const resourcePoint = z.object({
  at: z.date(),
  cpuPercent: z.number(),
  cpuPercentMax: z.number(),
  memoryBytes: z.number(),
  memoryBytesMax: z.number(),
  memoryLimitBytes: z.number().nullable(),
  /** Bytes a second since the previous point; null for the first point and after a counter reset. */
  networkRxPerSecond: z.number().nullable(),
  networkTxPerSecond: z.number().nullable(),
  restarts: z.number().int(),
});

export const uptimePoint = z.object({
  at: z.date(),
  checks: z.number().int(),
  upChecks: z.number().int(),
  responseMs: z.number().nullable(),
  statusCode: z.number().int().nullable(),
});

export const projectSeries = z.object({
  resolution: z.enum(['minute', 'hour']),
  from: z.date(),
  to: z.date(),
  resources: z.array(resourcePoint),
  uptime: z.array(uptimePoint),
  /** Share of up checks in the range, in percent; null without checks. */
  uptimePercent: z.number().nullable(),
});
export type ProjectSeries = z.infer<typeof projectSeries>;

export const currentFigures = z.object({
  sampledAt: z.date().nullable(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  memoryLimitBytes: z.number().nullable(),
  checkedAt: z.date().nullable(),
  up: z.boolean().nullable(),
  responseMs: z.number().nullable(),
  statusCode: z.number().int().nullable(),
  /** Uptime over the last 24 h, in percent; null without checks. */
  uptimePercent24h: z.number().nullable(),
});
export type CurrentFigures = z.infer<typeof currentFigures>;

export const overviewSort = z.enum(['cpu', 'memory', 'name']);
export const overviewInput = z.object({ sort: overviewSort.default('cpu') }).default({ sort: 'cpu' });

export const overviewApp = z.object({
  name: z.string(),
  status: z.string(),
  url: z.string(),
  cpuPercent: z.number().nullable(),
  memoryBytes: z.number().nullable(),
  memoryLimitBytes: z.number().nullable(),
  up: z.boolean().nullable(),
  responseMs: z.number().nullable(),
});
export const overview = z.object({ apps: z.array(overviewApp) });

export const eventsInput = z
  .object({ limit: z.number().int().min(1).max(100).default(30) })
  .default({ limit: 30 });
export const recentEvent = z.object({
  id: z.string(),
  at: z.date(),
  project: z.string(),
  /** The notification kind: `deployment.failed`, `app.down` … */
  kind: z.string(),
  message: z.string(),
});
export const recentEvents = z.object({ events: z.array(recentEvent) });
