import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import type { EngineDeps } from './engine-deps';
import { syncRoute } from './route-sync';
import { inGroup } from './run-deployment';
import { ensureSlotPorts } from './slot-ports';
import { LIVE } from './state-machine';

/**
 * Removes a stopped project's instances and points its route at the stopped page. Its preview groups
 * are left running: each is stopped on its own (`stopGroup`).
 */
export async function stopProject(deps: EngineDeps, projectId: string): Promise<void> {
  const { deployments, projects } = deps.repos;
  const found = await projects.findForDeploy(projectId);
  if (found?.desiredState !== 'stopped') return; // deleted, or started again since
  const project = await ensureSlotPorts(found, deps);
  await deps.proxy.prepare();
  // desiredState is `stopped`: the route becomes the stopped page before any instance stops.
  await syncRoute(deps, project.id);

  const active = project.activeDeployment;
  if (active && LIVE.includes(active.status)) {
    await deployments.transition(active.id, LIVE, 'terminating');
    await deployments.addEvent(active.id, 'Stopping: the project was stopped');
  }
  for (const instance of await deps.runtime.list({ project: project.name })) {
    if (!inGroup(instance, DEFAULT_GROUP)) continue;
    await deps.runtime.remove(project.name, instance.deploymentId, { graceMs: deps.settings.stopGraceMs });
  }
  if (active) {
    await deployments.transition(active.id, 'terminating', 'stopped', {
      terminationReason: 'user_stopped',
    });
  }
  await projects.setActiveDeployment(project.id, null);
}

/**
 * Removes everything Rise created at runtime and proxy for a deleted project; then what the runtime
 * keeps per project (Docker: the project's network; Kubernetes: the namespace, Secrets, the Service).
 */
export async function removeProjectResources(deps: EngineDeps, projectName: string): Promise<void> {
  // Routes first (its preview groups' too): while instances stop, requests get "no such app" (404),
  // not a failing upstream (503).
  await deps.proxy.removeRoute(projectName);
  for (const key of await deps.proxy.listRoutes()) {
    if (key.startsWith(`${projectName}.`)) await deps.proxy.removeRoute(key);
  }
  for (const instance of await deps.runtime.list({ project: projectName })) {
    await deps.runtime.remove(projectName, instance.deploymentId, { graceMs: deps.settings.stopGraceMs });
  }
  if (deps.deleteProject) await deps.deleteProject(projectName);
  else await deps.runtime.deleteProject?.(projectName);
}
