import { removeProjectResources } from '@/server/domains/deployments/stop-project';
import { engineDeps } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleProjectDelete(payload: {
  projectId: string;
  projectName: string;
  runtime?: string;
}) {
  await withProjectLock(payload.projectId, () =>
    removeProjectResources(engineDeps(payload.runtime ?? 'docker'), payload.projectName),
  );
}
