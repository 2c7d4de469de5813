import { env } from '@/env';
import type { EngineDeps } from '@/server/domains/deployments/engine-deps';
import { resolveEnvForRuntime } from '@/server/domains/env-vars/env-var.service';
import { createProxy } from '@/server/proxy';
import { createImageResolver } from '@/server/registry/image-resolver';
import { createRuntime } from '@/server/runtime';

let deps: EngineDeps | null = null;

/** The deploy engine wired to the configured runtime, proxy and registry (one per worker process). */
export function engineDeps(): EngineDeps {
  deps ??= {
    runtime: createRuntime('docker'),
    proxy: createProxy(),
    images: createImageResolver(),
    resolveEnv: resolveEnvForRuntime,
    settings: {
      upstreamMode: env.RISE_PROXY_UPSTREAM_MODE,
      portRange: env.RISE_APP_PORT_RANGE,
      baseDomain: env.RISE_BASE_DOMAIN,
      health: {
        attempts: env.RISE_HEALTH_CHECK_ATTEMPTS,
        intervalMs: env.RISE_HEALTH_CHECK_INTERVAL_MS,
        timeoutMs: env.RISE_HEALTH_CHECK_TIMEOUT_MS,
      },
      settleMs: env.RISE_SWITCH_SETTLE_MS,
      stopGraceMs: env.RISE_STOP_GRACE_MS,
      stuckAfterMs: env.RISE_DEPLOY_STUCK_AFTER_S * 1000,
      restartBackoff: { initialMs: env.RISE_RESTART_BACKOFF_MS, maxMs: env.RISE_RESTART_BACKOFF_MAX_MS },
    },
  };
  return deps;
}
