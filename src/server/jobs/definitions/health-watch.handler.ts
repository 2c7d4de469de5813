import { env } from '@/env';
import { watchAppHealth } from '@/server/domains/health-watch/health-watch.service';
import { engineDeps } from '../engine';

/** Kubernetes apps are probed by the cluster (readiness and liveness probes on the health path). */
const PROBED_BY_RISE = ['docker'];

export async function handleHealthWatch() {
  return watchAppHealth({
    engineOf: (runtime) => {
      const deps = engineDeps(runtime);
      return {
        runtime: deps.runtime,
        upstreamMode: deps.settings.upstreamMode,
        timeoutMs: deps.settings.health.timeoutMs,
      };
    },
    runtimes: PROBED_BY_RISE,
    failingAfter: env.RISE_HEALTH_FAILING_AFTER,
    log: (line) => console.error(`[health-watch] ${line}`),
  });
}
