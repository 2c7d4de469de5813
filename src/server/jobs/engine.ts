import { env } from '@/env';
import { deploymentEngineRepos } from '@/server/domains/deployments/engine.repo';
import { systemClock } from '@/server/domains/deployments/engine-clock';
import type { EngineDeps, EngineSettings } from '@/server/domains/deployments/engine-deps';
import { resolveEnvForRuntime } from '@/server/domains/env-vars/env-var.service';
import { projectRepo } from '@/server/domains/projects/project.repo';
import { createProxy } from '@/server/proxy';
import { createImageResolver } from '@/server/registry/image-resolver';
import { createKubernetesRouter, createRuntime } from '@/server/runtime';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';

const depsByRuntime = new Map<string, EngineDeps>();

function settings(runtime: string): EngineSettings {
  return {
    // Kubernetes reaches apps through their Service: no host ports to allocate.
    upstreamMode: runtime === 'kubernetes' ? 'network' : env.RISE_PROXY_UPSTREAM_MODE,
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
  };
}

/**
 * The deploy engine wired to one runtime (one per runtime name and worker process): Docker with the
 * Caddy proxy, Kubernetes with Ingresses (KubernetesRouter).
 */
export function engineDeps(runtime: string = 'docker'): EngineDeps {
  let deps = depsByRuntime.get(runtime);
  if (deps) return deps;
  const instance = createRuntime(runtime);
  const common = {
    images: createImageResolver(),
    resolveEnv: resolveEnvForRuntime,
    settings: settings(runtime),
    repos: deploymentEngineRepos,
    clock: systemClock,
  };
  if (instance instanceof KubernetesRuntime) {
    deps = {
      ...common,
      runtime: instance,
      proxy: createKubernetesRouter(instance),
      deleteProject: (project) => instance.deleteProject(project),
    };
  } else {
    deps = { ...common, runtime: instance, proxy: createProxy() };
    // Slot ports must be free on this host, not only unused by this installation's projects.
    if (instance instanceof DockerRuntime) deps.hostPorts = instance.hostPorts();
  }
  depsByRuntime.set(runtime, deps);
  return deps;
}

/** The engine for the runtime a project runs on (its `runtime` column; Docker when it is gone). */
export async function engineDepsForProject(projectId: string): Promise<EngineDeps> {
  return engineDeps((await projectRepo.findRuntime(projectId)) ?? 'docker');
}
