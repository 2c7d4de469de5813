import { removeProjectResources } from '@/server/domains/deployments/stop-project';
import { DEFAULT_RUNTIME } from '@/shared/runtimes';
import { engineDeps } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleProjectDelete(payload: {
  projectId: string;
  projectName: string;
  runtime?: string;
}) {
  await withProjectLock(payload.projectId, () =>
    removeProjectResources(engineDeps(payload.runtime ?? DEFAULT_RUNTIME), payload.projectName),
  );
}
