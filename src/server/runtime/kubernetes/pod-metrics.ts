import type { V1Pod } from '@kubernetes/client-node';
import type { InstanceStats } from '../types';

/** The part of a metrics.k8s.io PodMetrics list Rise reads. */
export type PodMetricsList = {
  items?: {
    metadata?: { name?: string };
    containers?: { usage?: { cpu?: string; memory?: string } }[];
  }[];
};

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A Kubernetes quantity (`250m`, `12345n`, `64Mi`, `1.5`) as a number; 0 when unreadable. */
export function parseQuantity(value: string | undefined): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(value?.trim() ?? '');
  if (!match) return 0;
  const factor = match[2] ? SUFFIXES[match[2]] : 1;
  return factor === undefined ? 0 : Number(match[1]) * factor;
}

/**
 * Figures of one Deployment's pods from the metrics API (CPU cores → percent of one core, working-set
 * memory) and the pods themselves (restarts, memory limit). The metrics API tells no network counters.
 */
export function podStats(metrics: PodMetricsList, pods: V1Pod[]): InstanceStats {
  let cores = 0;
  let memory = 0;
  for (const pod of metrics.items ?? []) {
    for (const container of pod.containers ?? []) {
      cores += parseQuantity(container.usage?.cpu);
      memory += parseQuantity(container.usage?.memory);
    }
  }
  let restarts = 0;
  let limit = 0;
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) restarts += status.restartCount ?? 0;
    for (const container of pod.spec?.containers ?? [])
      limit += parseQuantity(container.resources?.limits?.memory as string | undefined);
  }
  return {
    cpuPercent: cores * 100,
    memoryBytes: memory,
    memoryLimitBytes: limit > 0 ? limit : null,
    networkRxBytes: 0,
    networkTxBytes: 0,
    restarts,
  };
}
