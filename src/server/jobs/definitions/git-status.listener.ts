import { listen } from '@/server/db-notify';
import { commitStateOf } from '@/server/domains/git-status/commit-state';
import {
  GIT_STATUS_CHANNEL,
  parseGitStatusNotification,
  queueGitStatus,
  queueMissedGitStatuses,
} from '@/server/domains/git-status/git-status-queue';

/** How far back a (re)started listener looks for states the forge was not told. */
const SWEEP_MS = 24 * 3600_000;
const RECENT_LIMIT = 2000;

/**
 * Runs in a worker serving `git-status`: every change of a git deployment's status (a NOTIFY from the
 * deployments trigger) queues the report of its commit state; when listening (re)starts, what
 * changed meanwhile is queued too. The job decides what is new, so several workers may listen.
 */
export async function startGitStatusListener(log: (line: string) => void): Promise<() => void> {
  // The state this process queued last per deployment: its several in-progress statuses are one `pending`.
  const lastQueued = new Map<string, string>();
  const remember = (deploymentId: string, state: string) => {
    lastQueued.delete(deploymentId);
    lastQueued.set(deploymentId, state);
    if (lastQueued.size > RECENT_LIMIT) lastQueued.delete(lastQueued.keys().next().value as string);
  };
  const failed = (error: unknown) =>
    log(`git-status: could not queue a commit status: ${error instanceof Error ? error.message : error}`);
  return listen(GIT_STATUS_CHANNEL, (payload) => {
    if (payload === null) {
      queueMissedGitStatuses(new Date(Date.now() - SWEEP_MS)).then(
        (queued) => queued > 0 && log(`git-status: queued ${queued} missed commit status(es)`),
        failed,
      );
      return;
    }
    const change = parseGitStatusNotification(payload);
    const state = change && commitStateOf(change.status);
    if (!change || !state) return;
    if (lastQueued.get(change.deploymentId) === state) return;
    remember(change.deploymentId, state);
    queueGitStatus(change.deploymentId, state).catch((error: unknown) => {
      lastQueued.delete(change.deploymentId);
      failed(error);
    });
  });
}
