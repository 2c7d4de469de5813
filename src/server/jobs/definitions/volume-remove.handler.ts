import { DEFAULT_RUNTIME } from '@/shared/runtimes';
import { engineDeps } from '../engine';
import { withProjectLock } from '../project-lock';

export async function handleVolumeRemove(payload: {
  projectId: string;
  projectName: string;
  volume: string;
  runtime?: string;
}) {
  const { runtime } = engineDeps(payload.runtime ?? DEFAULT_RUNTIME);
  await withProjectLock(payload.projectId, async () => {
    await runtime.removeVolume?.(payload.projectName, payload.volume);
  });
  return { removed: `${payload.projectName}/${payload.volume}` };
}
