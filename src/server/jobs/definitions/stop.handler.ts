import { stopGroup } from '@/server/domains/deployments/stop-group';
import { stopProject } from '@/server/domains/deployments/stop-project';
import { engineDepsForProject } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleStop(payload: { projectId: string; group?: string }) {
  await withProjectLock(payload.projectId, async () => {
    const deps = await engineDepsForProject(payload.projectId);
    if (payload.group) await stopGroup(deps, payload.projectId, payload.group);
    else await stopProject(deps, payload.projectId);
  });
}
