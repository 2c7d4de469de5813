import type { InstanceStats, Runtime } from '@/server/runtime/types';
import { appMetricsRepo, type MetricSampleRow } from './app-metrics.repo';
import { deleteHoursBefore, foldBefore, minuteOf } from './retention';

export type SampleDeps = {
  /** The runtime a project runs on (its `runtime` column). */
  runtimeOf: (name: string) => Runtime;
  now?: () => Date;
  log?: (line: string) => void;
};

/**
 * Reads the figures of every running instance once and writes one minute point per project (its
 * instances summed: deployment groups and replicas alike). An instance whose runtime has no figures,
 * or that cannot be read, is left out; a project none of whose instances gave figures gets no point.
 */
export async function sampleRunningApps(deps: SampleDeps): Promise<{ sampled: number; failed: number }> {
  const at = minuteOf(deps.now?.() ?? new Date());
  const instances = await appMetricsRepo.runningInstances();
  let failed = 0;
  const read = await Promise.all(
    instances.map(async (instance) => {
      try {
        const stats = await deps
          .runtimeOf(instance.project.runtime)
          .stats(instance.project.name, instance.id);
        return { projectId: instance.projectId, stats };
      } catch (error) {
        failed++;
        deps.log?.(
          `metrics of ${instance.project.name}/${instance.id} could not be read: ${error instanceof Error ? error.message : String(error)}`,
        );
        return { projectId: instance.projectId, stats: null };
      }
    }),
  );
  const byProject = new Map<string, InstanceStats[]>();
  for (const { projectId, stats } of read) {
    if (stats) byProject.set(projectId, [...(byProject.get(projectId) ?? []), stats]);
  }
  const rows = [...byProject].map(([projectId, stats]) => summed(projectId, at, stats));
  await appMetricsRepo.insertMinutes(rows);
  return { sampled: rows.length, failed };
}

function summed(projectId: string, at: Date, stats: InstanceStats[]): MetricSampleRow {
  const sum = (pick: (item: InstanceStats) => number) => stats.reduce((total, item) => total + pick(item), 0);
  const limits = stats.map((item) => item.memoryLimitBytes);
  return {
    projectId,
    at,
    instances: stats.length,
    cpuPercent: sum((item) => item.cpuPercent),
    memoryBytes: sum((item) => item.memoryBytes),
    // A total limit only when every instance has one.
    memoryLimitBytes: limits.every((limit) => limit !== null)
      ? sum((item) => item.memoryLimitBytes ?? 0)
      : null,
    networkRxBytes: sum((item) => item.networkRxBytes),
    networkTxBytes: sum((item) => item.networkTxBytes),
    restarts: sum((item) => item.restarts),
  };
}

/** Folds minute points older than 24 h into hourly ones and deletes hourly ones older than 30 days. */
export function downsampleMetrics(now = new Date()) {
  return appMetricsRepo.downsample(foldBefore(now), deleteHoursBefore(now));
}
