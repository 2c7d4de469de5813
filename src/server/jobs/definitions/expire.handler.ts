import { deploymentEngineRepos } from '@/server/domains/deployments/engine.repo';
import { expireDeployment } from '@/server/domains/deployments/expire-deployments';
import { engineDepsForProject } from '../engine';
import { withProjectLock } from '../project-lock';

/** Expires `deploymentId`, or every deployment whose expiry has come; returns how many it expired. */
export async function handleExpire(payload: { deploymentId?: string }): Promise<{ expired: number }> {
  const now = new Date();
  const due = payload.deploymentId
    ? [await deploymentEngineRepos.deployments.findById(payload.deploymentId)].filter((d) => d !== null)
    : await deploymentEngineRepos.deployments.listExpired(now);
  let expired = 0;
  const failures: string[] = [];
  for (const deployment of due) {
    try {
      // Under the project's lock, as deploys and stops: an expiry never races a switch of its group.
      const done = await withProjectLock(deployment.projectId, async () =>
        expireDeployment(await engineDepsForProject(deployment.projectId), deployment.id, now),
      );
      if (done) expired++;
    } catch (error) {
      // One deployment's failure (its runtime unreachable) must not keep the others from expiring.
      const reason = error instanceof Error ? error.message : String(error);
      failures.push(`${deployment.id}: ${reason}`);
      await deploymentEngineRepos.deployments.addEvent(
        deployment.id,
        `Expiry failed: ${reason.slice(0, 2000)}`,
        'error',
      );
    }
  }
  // The job fails (and is retried) so the failure shows; the next pass tries again either way.
  if (failures.length > 0) throw new Error(`could not expire ${failures.join('; ')}`);
  return { expired };
}
