import { deploymentRepo } from '../deployments/deployment.repo';

/**
 * Ends a deployment still in its build (`pending`/`building`/`pushing`) as `failed` with `reason`, or a
 * `cancelling` one as `cancelled`: what a build that cannot go on (failed, timed out, out of retries)
 * leaves behind. A deployment already past its build is left alone. Returns whether it moved.
 */
export async function failAbandonedBuild(deploymentId: string, reason: string): Promise<boolean> {
  const error = reason.slice(0, 4000);
  if (
    await deploymentRepo.transition(deploymentId, ['pending', 'building', 'pushing'], 'failed', {
      error,
      terminationReason: 'failed',
    })
  ) {
    await deploymentRepo.addEvent(deploymentId, error, 'error');
    return true;
  }
  if (
    await deploymentRepo.transition(deploymentId, 'cancelling', 'cancelled', {
      terminationReason: 'cancelled',
    })
  ) {
    await deploymentRepo.addEvent(deploymentId, 'Build cancelled', 'warn');
    return true;
  }
  return false;
}
