import { stopProject } from '@/server/domains/deployments/stop-project';
import { engineDeps } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleStop(payload: { projectId: string }) {
  await withProjectLock(payload.projectId, () => stopProject(engineDeps(), payload.projectId));
}
