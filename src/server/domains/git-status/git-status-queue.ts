import type { DeploymentStatus } from '@/generated/prisma/enums';
import { gitStatusJob } from '@/server/jobs/definitions/git-status.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import { type CommitState, commitStateOf, shouldReport } from './commit-state';
import { gitStatusRepo } from './git-status.repo';

/** Written by the trigger of migration *_git_commit_statuses: `<deployment id>:<status>`. */
export const GIT_STATUS_CHANNEL = 'rise_git_status';

export function parseGitStatusNotification(
  payload: string,
): { deploymentId: string; status: DeploymentStatus } | null {
  const at = payload.lastIndexOf(':');
  if (at <= 0) return null;
  return { deploymentId: payload.slice(0, at), status: payload.slice(at + 1) as DeploymentStatus };
}

/** Queues the report of `state` for a deployment; the job skips what was already reported. */
export async function queueGitStatus(deploymentId: string, state: CommitState): Promise<void> {
  await inTransaction((tx) => enqueue(tx, gitStatusJob, { deploymentId, state }));
}

/**
 * Queues the states git deployments changed since `since` reached but the forge was not told (a
 * notification missed while no worker listened). Returns how many it queued.
 */
export async function queueMissedGitStatuses(since: Date): Promise<number> {
  let queued = 0;
  for (const deployment of await gitStatusRepo.listRecent(since)) {
    const state = commitStateOf(deployment.status);
    const last = (deployment.gitStatus?.state ?? null) as CommitState | null;
    if (state && shouldReport(state, last)) {
      await queueGitStatus(deployment.id, state);
      queued++;
    }
  }
  return queued;
}
