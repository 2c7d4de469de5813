import { getDb } from '@/server/db';
import { downsampleTable } from './downsample.repo';
import type { Resolution } from './retention';

export type MetricSampleRow = {
  projectId: string;
  at: Date;
  instances: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number | null;
  networkRxBytes: number;
  networkTxBytes: number;
  restarts: number;
};

export const appMetricsRepo = {
  /** Instances that should be running: healthy deployments of projects meant to run. */
  runningInstances: () =>
    getDb().deployment.findMany({
      where: { status: 'healthy', project: { desiredState: 'running' } },
      select: { id: true, projectId: true, project: { select: { name: true, runtime: true } } },
      orderBy: { id: 'asc' },
    }),

  /** One minute point per project; a second write for the same minute is ignored. */
  insertMinutes: (rows: MetricSampleRow[]) =>
    getDb().appMetricSample.createMany({
      data: rows.map((row) => ({
        ...row,
        resolution: 'minute',
        cpuPercentMax: row.cpuPercent,
        memoryBytesMax: row.memoryBytes,
      })),
      skipDuplicates: true,
    }),

  series: (projectId: string, resolution: Resolution, from: Date, to: Date) =>
    getDb().appMetricSample.findMany({
      where: { projectId, resolution, at: { gte: from, lte: to } },
      orderBy: { at: 'asc' },
    }),

  /** Each project's newest minute point at or after `since`. */
  latest: (projectIds: string[], since: Date) =>
    getDb().appMetricSample.findMany({
      where: { projectId: { in: projectIds }, resolution: 'minute', at: { gte: since } },
      orderBy: { at: 'desc' },
      distinct: ['projectId'],
    }),

  /**
   * Folds minute points before `foldBefore` into hourly ones (average and peak; counters and restarts
   * at their highest, i.e. their last value) and deletes them, then deletes hourly points before
   * `deleteBefore`. One transaction, so a point is never counted twice nor lost.
   */
  downsample: (foldBefore: Date, deleteBefore: Date) =>
    downsampleTable(
      'app_metric_samples',
      (tx) => tx.$executeRaw`
        INSERT INTO app_metric_samples (project_id, resolution, at, instances, cpu_percent, cpu_percent_max,
          memory_bytes, memory_bytes_max, memory_limit_bytes, network_rx_bytes, network_tx_bytes, restarts)
        SELECT project_id, 'hour', date_trunc('hour', at), max(instances), avg(cpu_percent), max(cpu_percent_max),
          avg(memory_bytes), max(memory_bytes_max), max(memory_limit_bytes), max(network_rx_bytes),
          max(network_tx_bytes), max(restarts)
        FROM app_metric_samples
        WHERE resolution = 'minute' AND at < ${foldBefore}
        GROUP BY project_id, date_trunc('hour', at)
        ON CONFLICT (project_id, resolution, at) DO UPDATE SET
          cpu_percent = (app_metric_samples.cpu_percent + excluded.cpu_percent) / 2,
          cpu_percent_max = greatest(app_metric_samples.cpu_percent_max, excluded.cpu_percent_max),
          memory_bytes = (app_metric_samples.memory_bytes + excluded.memory_bytes) / 2,
          memory_bytes_max = greatest(app_metric_samples.memory_bytes_max, excluded.memory_bytes_max)`,
      foldBefore,
      deleteBefore,
    ),
};
