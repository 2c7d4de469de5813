import { failDeployment } from '@/server/domains/deployments/deployment.service';
import { runDeployment } from '@/server/domains/deployments/run-deployment';
import { engineDepsForProject } from '../engine';
import { runInJobScope, UncaughtJobError } from '../job-scope';
import { withProjectLock } from '../project-lock';

export async function handleDeploy(
  payload: { deploymentId: string; projectId: string },
  signal: AbortSignal,
) {
  await withProjectLock(payload.projectId, async () => {
    try {
      await runInJobScope('deploy', payload.deploymentId, async () =>
        runDeployment(await engineDepsForProject(payload.projectId), payload.deploymentId, signal),
      );
    } catch (error) {
      // The deployment ends `failed` with the reason; retrying would only hit the same error again.
      if (!(error instanceof UncaughtJobError)) throw error;
      await failDeployment(payload.deploymentId, error.original.message);
    }
  });
}
