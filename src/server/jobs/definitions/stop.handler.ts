import { stopProject } from '@/server/domains/deployments/stop-project';
import { engineDepsForProject } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleStop(payload: { projectId: string }) {
  await withProjectLock(payload.projectId, async () =>
    stopProject(await engineDepsForProject(payload.projectId), payload.projectId),
  );
}
