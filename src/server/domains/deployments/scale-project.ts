import { type InstanceSpec, processOf, WEB_PROCESS } from '@/server/runtime/types';
import type { EngineDeps } from './engine-deps';
import { otherProcessSpecs, webReplicasWanted } from './process-specs';
import { ensureReplicaPorts } from './replica-ports';
import { syncRoute } from './route-sync';
import { instanceSpecFor } from './run-deployment';
import { LIVE } from './state-machine';

/**
 * Brings the active deployment of a running project to the replica counts the project asks for, without
 * a redeploy (`rise scale`). More web replicas: the new ones start, and join the route only once every
 * replica passed the health check. Fewer: the route leaves the surplus first, then they stop after
 * the settle pause, as an old version does after a deploy. Other processes are scaled as they are;
 * processes no longer configured stop. A stopped project, or one without a live deployment, keeps the
 * counts for its next deploy. Told on the deployment's events.
 */
export async function scaleProject(deps: EngineDeps, projectId: string): Promise<void> {
  const { deployments } = deps.repos;
  const project = await deps.repos.projects.findForDeploy(projectId);
  const active = project?.activeDeployment;
  if (!project || !active || project.desiredState !== 'running' || !LIVE.includes(active.status)) return;
  if (!active.slot || !active.image || !active.imageDigest) return;
  const scale = deps.runtime.scale.bind(deps.runtime);
  const event = (text: string, level: 'info' | 'warn' | 'error' = 'info') =>
    deployments.addEvent(active.id, text, level);

  const wanted = webReplicasWanted(project);
  const routed = active.webReplicas ?? 1;
  const withPorts = await ensureReplicaPorts(project, active.slot, wanted, deps);
  const web = await instanceSpecFor(deps, withPorts, {
    id: active.id,
    image: active.image,
    digest: active.imageDigest,
    slot: active.slot,
    webReplicas: wanted,
  });

  if (wanted > routed) {
    await event(`Scaling web from ${routed} to ${wanted} replicas`);
    // A replica that cannot start (its host port taken meanwhile, the engine refusing) fails the scale
    // like one that never gets healthy: the route keeps the replicas it had, the new ones go.
    const health = await scale(web).then(
      () => deps.runtime.waitHealthy(web, { ...deps.settings.health, path: project.healthPath }),
      (error: unknown) => ({
        healthy: false as const,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    if (!health.healthy) {
      await scale({ ...web, replicas: routed }, { graceMs: 0 });
      await event(`Scaling web failed: ${health.error}. It keeps ${routed} replicas.`, 'error');
      return;
    }
    await deployments.update(active.id, { webReplicas: wanted });
    await syncRoute(deps, project.id);
  } else if (wanted < routed) {
    await event(`Scaling web from ${routed} to ${wanted} replicas`);
    await deployments.update(active.id, { webReplicas: wanted });
    await syncRoute(deps, project.id);
    await deps.clock.sleep(deps.settings.settleMs);
    await scale(web, { graceMs: deps.settings.stopGraceMs });
  } else {
    // Same count: starts a replica that is missing (removed by hand), changes nothing else.
    await scale(web);
  }

  const others = otherProcessSpecs(project, web);
  for (const spec of others) await scale(spec, { graceMs: deps.settings.stopGraceMs });
  await stopUnlistedProcesses(deps, web, new Set([WEB_PROCESS, ...others.map(processOf)]), scale);
  const counts = [`web ×${wanted}`, ...others.map((spec) => `${spec.process} ×${spec.replicas}`)];
  await event(`Scaled: ${counts.join(', ')}`);
}

/** Instances of processes the project no longer has (removed from `[processes]`) stop. */
async function stopUnlistedProcesses(
  deps: EngineDeps,
  web: InstanceSpec,
  listed: ReadonlySet<string>,
  scale: EngineDeps['runtime']['scale'],
): Promise<void> {
  const running = await deps.runtime.list({ project: web.project });
  const unlisted = new Set(
    running
      .filter((instance) => instance.deploymentId === web.deploymentId && !listed.has(processOf(instance)))
      .map(processOf),
  );
  for (const process of unlisted) {
    await scale({ ...web, process, replicas: 0, hostPort: null }, { graceMs: deps.settings.stopGraceMs });
  }
}
