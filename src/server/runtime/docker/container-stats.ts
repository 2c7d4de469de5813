import type { InstanceStats } from '../types';

/** The parts of the engine's one-shot stats answer (`GET /containers/{id}/stats?stream=false`) Rise reads. */
export type DockerStatsAnswer = {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
};

/**
 * Turns an engine stats answer into figures, as `docker stats` computes them: CPU from the change of
 * the container's and the host's CPU time between the two readings the answer holds; memory without
 * the page cache (`inactive_file`), which the kernel gives back under pressure.
 */
export function instanceStatsOf(
  answer: DockerStatsAnswer,
  restarts: number,
  hostMemory: number,
): InstanceStats {
  const cpuDelta =
    (answer.cpu_stats?.cpu_usage?.total_usage ?? 0) - (answer.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta =
    (answer.cpu_stats?.system_cpu_usage ?? 0) - (answer.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = answer.cpu_stats?.online_cpus ?? 1;
  // Without an earlier reading (the engine gives one with `stream: false`, not with `one-shot`) the
  // deltas would span the host's uptime: no figure rather than a wrong one.
  const hasPrevious = (answer.precpu_stats?.system_cpu_usage ?? 0) > 0;
  const cpuPercent =
    hasPrevious && cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = answer.memory_stats;
  const cache = memory?.stats?.inactive_file ?? memory?.stats?.total_inactive_file ?? 0;
  const usage = Math.max(0, (memory?.usage ?? 0) - cache);
  // Without a limit the engine reports the host's memory as the limit.
  const limit = memory?.limit && memory.limit < hostMemory ? memory.limit : null;
  let rx = 0;
  let tx = 0;
  for (const network of Object.values(answer.networks ?? {})) {
    rx += network.rx_bytes ?? 0;
    tx += network.tx_bytes ?? 0;
  }
  return {
    cpuPercent,
    memoryBytes: usage,
    memoryLimitBytes: limit,
    networkRxBytes: rx,
    networkTxBytes: tx,
    restarts,
  };
}
