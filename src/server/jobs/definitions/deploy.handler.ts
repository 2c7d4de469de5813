import { runDeployment } from '@/server/domains/deployments/run-deployment';
import { engineDepsForProject } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleDeploy(
  payload: { deploymentId: string; projectId: string },
  signal: AbortSignal,
) {
  await withProjectLock(payload.projectId, async () =>
    runDeployment(await engineDepsForProject(payload.projectId), payload.deploymentId, signal),
  );
}
