import { runDeployment } from '@/server/domains/deployments/run-deployment';
import { engineDeps } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleDeploy(
  payload: { deploymentId: string; projectId: string },
  signal: AbortSignal,
) {
  await withProjectLock(payload.projectId, () => runDeployment(engineDeps(), payload.deploymentId, signal));
}
