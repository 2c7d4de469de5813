import {
  type InstanceStats,
  type InstanceStatus,
  processOf,
  type Runtime,
  replicaOf,
} from '@/server/runtime/types';
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
  const deployments = await appMetricsRepo.runningInstances();
  let failed = 0;
  const fail = (what: string, error: unknown) => {
    failed++;
    deps.log?.(
      `metrics of ${what} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  };
  // Every replica of every process of each running deployment: one listing per project.
  const projects = new Map<string, { runtime: string; name: string; projectId: string; ids: Set<string> }>();
  for (const deployment of deployments) {
    const entry = projects.get(deployment.projectId) ?? {
      runtime: deployment.project.runtime,
      name: deployment.project.name,
      projectId: deployment.projectId,
      ids: new Set<string>(),
    };
    entry.ids.add(deployment.id);
    projects.set(deployment.projectId, entry);
  }
  const read = (
    await Promise.all(
      [...projects.values()].map(async (project) => {
        const runtime = deps.runtimeOf(project.runtime);
        let listed: InstanceStatus[];
        try {
          listed = await runtime.list({ project: project.name });
        } catch (error) {
          fail(project.name, error);
          return [];
        }
        const running = listed.filter((instance) => project.ids.has(instance.deploymentId));
        return Promise.all(
          running.map(async (instance) => {
            const ref = { process: processOf(instance), replica: replicaOf(instance) };
            try {
              const stats = await runtime.stats(project.name, instance.deploymentId, ref);
              return { projectId: project.projectId, stats };
            } catch (error) {
              fail(`${project.name}/${instance.deploymentId} (${ref.process} #${ref.replica})`, error);
              return { projectId: project.projectId, stats: null };
            }
          }),
        );
      }),
    )
  ).flat();
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
