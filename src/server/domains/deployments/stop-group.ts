import { DEFAULT_GROUP, groupKey, groupSlug } from '@/shared/deployment-groups';
import type { EngineDeps } from './engine-deps';
import { inGroup } from './run-deployment';
import { LIVE } from './state-machine';

/** How a group ends: stopped by a user (`rise d stop -g`), or past its expiry. */
export type GroupEnd = 'stopped' | 'expired';

/**
 * Takes a preview group down: the group goes first (so no route writer can bring its route back),
 * then its route, then its instances; its live deployment ends `stopped` or `expired`. Idempotent: a
 * retry after a crash finishes what is left.
 */
export async function stopGroup(
  deps: EngineDeps,
  projectId: string,
  group: string,
  end: GroupEnd = 'stopped',
): Promise<void> {
  if (group === DEFAULT_GROUP) throw new Error('the default group is stopped with its project');
  const { deployments, projects } = deps.repos;
  const unit = await projects.findForDeploy(projectId, group);
  await projects.deleteGroup(projectId, group);
  const ending = (await deployments.listByStatus([...LIVE, 'terminating'])).filter(
    (deployment) => deployment.projectId === projectId && deployment.group === group,
  );
  const projectName = unit?.name ?? ending[0]?.project.name;
  if (!projectName) return;
  await deps.proxy.removeRoute(groupKey(projectName, groupSlug(group)));

  const why = end === 'expired' ? 'Expired' : `Stopping: group ${group} was stopped`;
  for (const deployment of ending) {
    if (await deployments.transition(deployment.id, LIVE, 'terminating')) {
      await deployments.addEvent(deployment.id, why);
    }
  }
  for (const instance of await deps.runtime.list({ project: projectName })) {
    if (!inGroup(instance, group)) continue;
    await deps.runtime.remove(projectName, instance.deploymentId, { graceMs: deps.settings.stopGraceMs });
  }
  for (const deployment of ending) {
    await deployments.transition(deployment.id, 'terminating', end, {
      terminationReason: end === 'expired' ? 'expired' : 'user_stopped',
    });
  }
}
