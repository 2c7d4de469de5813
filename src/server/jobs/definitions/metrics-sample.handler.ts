import { downsampleMetrics, sampleRunningApps } from '@/server/domains/app-metrics/app-metrics.service';
import { downsampleUptime } from '@/server/domains/uptime/uptime.service';
import { engineDeps } from '../engine';

export async function handleMetricsSample() {
  const sampled = await sampleRunningApps({
    runtimeOf: (name) => engineDeps(name).runtime,
    log: (line) => console.error(`[metrics-sample] ${line}`),
  });
  const now = new Date();
  return { ...sampled, metrics: await downsampleMetrics(now), uptime: await downsampleUptime(now) };
}
