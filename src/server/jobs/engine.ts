import { env } from '@/env';
import { resolveDeploymentEnvForRuntime } from '@/server/domains/deployments/deployment-env.service';
import { deploymentEngineRepos } from '@/server/domains/deployments/engine.repo';
import { systemClock } from '@/server/domains/deployments/engine-clock';
import type { EngineDeps, EngineSettings } from '@/server/domains/deployments/engine-deps';
import { raiseNotification } from '@/server/domains/notifications/notification.service';
import { projectRepo } from '@/server/domains/projects/project.repo';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { volumeMountsFor } from '@/server/domains/volumes/volume.service';
import { createImageResolver } from '@/server/registry/image-resolver';
import { createRuntime } from '@/server/runtime';
import { runtimeModule } from '@/server/runtime/registry';
import type { RuntimeModule } from '@/server/runtime/runtime-module';
import { DEFAULT_RUNTIME } from '@/shared/runtimes';

const depsByRuntime = new Map<string, EngineDeps>();

function settings(module: RuntimeModule): EngineSettings {
  return {
    upstreamMode: env.RISE_PROXY_UPSTREAM_MODE,
    portRange: env.RISE_APP_PORT_RANGE,
    baseDomain: env.RISE_BASE_DOMAIN,
    health: {
      attempts: env.RISE_HEALTH_CHECK_ATTEMPTS,
      intervalMs: env.RISE_HEALTH_CHECK_INTERVAL_MS,
      timeoutMs: env.RISE_HEALTH_CHECK_TIMEOUT_MS,
    },
    settleMs: env.RISE_SWITCH_SETTLE_MS,
    releaseTimeoutMs: env.RISE_RELEASE_TIMEOUT,
    stopGraceMs: env.RISE_STOP_GRACE_MS,
    processGraceMs: env.RISE_PROCESS_GRACE_S * 1000,
    stuckAfterMs: env.RISE_DEPLOY_STUCK_AFTER_S * 1000,
    restartBackoff: { initialMs: env.RISE_RESTART_BACKOFF_MS, maxMs: env.RISE_RESTART_BACKOFF_MAX_MS },
    crashLoop: {
      restarts: env.RISE_CRASH_LOOP_RESTARTS,
      stableAfterMs: env.RISE_RESTART_STABLE_AFTER_S * 1000,
    },
    ...module.engineSettings,
  };
}

/**
 * The deploy engine wired to one runtime (one per runtime name and worker process): its runtime and
 * router, and the hooks its module has (src/server/runtime/registry.ts).
 */
export function engineDeps(runtime: string = DEFAULT_RUNTIME): EngineDeps {
  let deps = depsByRuntime.get(runtime);
  if (deps) return deps;
  const module = runtimeModule(runtime);
  const instance = createRuntime(runtime);
  deps = {
    runtime: instance,
    proxy: module.createRouter(instance, module.settings(env)),
    images: createImageResolver({ logins: projectRegistryLogins }),
    resolveEnv: resolveDeploymentEnvForRuntime,
    resolveVolumes: volumeMountsFor,
    settings: settings(module),
    repos: deploymentEngineRepos,
    clock: systemClock,
    notify: raiseNotification,
  };
  const { deleteProject, hostPorts } = module;
  if (deleteProject) deps.deleteProject = (project) => deleteProject(instance, project);
  if (hostPorts) deps.hostPorts = hostPorts(instance);
  depsByRuntime.set(runtime, deps);
  return deps;
}

/** The engine for the runtime a project runs on (its `runtime` column; the default one when it is gone). */
export async function engineDepsForProject(projectId: string): Promise<EngineDeps> {
  return engineDeps((await projectRepo.findRuntime(projectId)) ?? DEFAULT_RUNTIME);
}
