import { scaleProject } from '@/server/domains/deployments/scale-project';
import { engineDepsForProject } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleProjectScale(payload: { projectId: string }) {
  await withProjectLock(payload.projectId, async () => {
    await scaleProject(await engineDepsForProject(payload.projectId), payload.projectId);
  });
}
