import type { Caller } from '@/server/domains/access/caller';
import { AppError } from '@/server/errors';
import { expiryDuration } from '@/shared/deployment-groups';
import { stopGroup } from '../deployments/deployment-groups.service';
import { queueGitDeployment } from '../git-builds/queue-git-deployment';
import type { GitEvent, PullRequestEvent, PushEvent } from './git-event.schema';
import type { DeliveryStatus } from './git-hook.repo';
import { touchesWatchPaths } from './watch-paths';

export type GitSourceSettings = { branch: string; watchPaths: string[]; previewExpiry: string };
type Project = { id: string; name: string; ownerTeamId: string | null };
export type ActionOutcome = { status: DeliveryStatus; detail: string; deploymentId: string | null };

const ignored = (detail: string): ActionOutcome => ({ status: 'ignored', detail, deploymentId: null });
const short = (sha: string) => sha.slice(0, 7);
export const previewGroup = (pullRequest: number) => `pr-${pullRequest}`;

/**
 * What a delivery makes Rise do: deploy a push to the tracked branch, deploy or stop a pull request's
 * preview group. An AppError (too many groups …) is the delivery's `failed` outcome; anything else throws.
 */
export async function actOnGitEvent(
  caller: Caller | null,
  project: Project,
  source: GitSourceSettings,
  event: GitEvent,
  now: Date,
): Promise<ActionOutcome> {
  try {
    if (event.kind === 'push') return await onPush(caller, project, source, event);
    if (event.kind === 'pull_request') return await onPullRequest(caller, project, source, event, now);
    return ignored(`Not acted on: ${event.why}.`);
  } catch (error) {
    if (error instanceof AppError) return { status: 'failed', detail: error.message, deploymentId: null };
    throw error;
  }
}

async function onPush(caller: Caller | null, project: Project, source: GitSourceSettings, event: PushEvent) {
  if (event.ref !== `refs/heads/${source.branch}`)
    return ignored(`Push to ${event.ref}; the project deploys branch ${source.branch}.`);
  if (!touchesWatchPaths(event.changedPaths, source.watchPaths))
    return ignored(`No changed file matches the watch paths (${source.watchPaths.join(', ')}).`);
  const deploymentId = await queueGitDeployment(
    caller,
    project,
    { ref: event.ref, sha: event.after, message: event.message, author: event.author },
    { trigger: 'git_push' },
  );
  return {
    status: 'accepted' as const,
    detail: `Deploying ${source.branch} at ${short(event.after)}.`,
    deploymentId,
  };
}

async function onPullRequest(
  caller: Caller | null,
  project: Project,
  source: GitSourceSettings,
  event: PullRequestEvent,
  now: Date,
): Promise<ActionOutcome> {
  const group = previewGroup(event.number);
  if (event.action === 'closed') {
    const stopped = await stopGroup(caller, project, group, {
      why: `pull request of ${group} closed`,
      details: { trigger: 'pull_request' },
    });
    return stopped
      ? { status: 'accepted', detail: `Stopping preview ${group}.`, deploymentId: null }
      : ignored(`Pull request #${event.number} closed; it has no preview to stop.`);
  }
  const expiry = expiryDuration.safeParse(source.previewExpiry);
  if (!expiry.success)
    throw new AppError(
      'PRECONDITION_FAILED',
      `The git source's preview expiry '${source.previewExpiry}' is invalid: ${expiry.error.issues[0]?.message}`,
    );
  const deploymentId = await queueGitDeployment(
    caller,
    project,
    { ref: event.ref, sha: event.headSha, message: event.title, author: event.author },
    { trigger: 'pull_request', group, expiresAt: new Date(now.getTime() + expiry.data) },
  );
  return {
    status: 'accepted',
    detail: `Deploying pull request #${event.number} (${event.headRef} at ${short(event.headSha)}) to ${group}.`,
    deploymentId,
  };
}
