import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import type { EngineDeps } from './engine-deps';
import { syncRoute } from './route-sync';
import { LIVE } from './state-machine';
import { stopGroup } from './stop-group';

/**
 * Ends one deployment whose expiry has come (the worker's expiry pass, `expireJob`): a queued one
 * moves to `expired`; a preview group's active one takes its group down (route and instances); the
 * default group's active one leaves the project's URL on the stopped page. A deployment extended
 * meanwhile (`rise d extend`) is left alone. Returns whether it expired it.
 */
export async function expireDeployment(deps: EngineDeps, deploymentId: string, now: Date): Promise<boolean> {
  const { deployments, projects } = deps.repos;
  const deployment = await deployments.findById(deploymentId);
  if (!deployment?.expiresAt || deployment.expiresAt > now) return false;
  const expired = { terminationReason: 'expired' as const };

  if (deployment.status === 'pending' || deployment.status === 'pushed') {
    if (!(await deployments.transition(deploymentId, deployment.status, 'expired', expired))) return false;
    await deployments.addEvent(deploymentId, 'Expired before it started', 'warn');
    return true;
  }
  if (!LIVE.includes(deployment.status)) return false;

  const unit = await projects.findForDeploy(deployment.projectId, deployment.group);
  const active = unit?.activeDeploymentId === deploymentId;
  if (active && deployment.group !== DEFAULT_GROUP) {
    await stopGroup(deps, deployment.projectId, deployment.group, 'expired');
    return true;
  }
  // The default group (or a deployment no longer active): out of the route first, then stopped.
  if (!(await deployments.transition(deploymentId, LIVE, 'terminating'))) return false;
  await deployments.addEvent(deploymentId, 'Expired');
  if (active) {
    await projects.setActiveDeployment(deployment.projectId, null);
    await syncRoute(deps, deployment.projectId);
    await deps.clock.sleep(deps.settings.settleMs);
  }
  await deps.runtime.remove(deployment.project.name, deploymentId, { graceMs: deps.settings.stopGraceMs });
  await deployments.transition(deploymentId, 'terminating', 'expired', expired);
  return true;
}
