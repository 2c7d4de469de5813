import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { IN_PROGRESS, LIVE } from '@/server/domains/deployments/state-machine';

/** On its way to running: the states `deployment.cancel` accepts. */
export const isInProgress = (status: DeploymentView['status']) => IN_PROGRESS.includes(status);

/** Whether its expiry still lies ahead: it is on its way or running (an ended one is past expiring). */
export const canExpire = (deployment: DeploymentView): deployment is DeploymentView & { expiresAt: Date } =>
  deployment.expiresAt !== null && (isInProgress(deployment.status) || LIVE.includes(deployment.status));

/**
 * A deployment the API can roll back to: it ran healthy once, its image is pinned to a digest and
 * image retention has not removed that image.
 */
export const canRollBackTo = (deployment: DeploymentView) =>
  !deployment.active &&
  !deployment.imageRemoved &&
  Boolean(deployment.image && deployment.imageDigest && deployment.healthyAt);

/** `sha256:abcdef123456`: the algorithm and the first 12 hex digits, as `docker images` shows them. */
export function shortDigest(digest: string) {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest.slice(0, 19);
}

/** The image reference without a pinned digest (`registry/app:tag@sha256:…` → `registry/app:tag`). */
export const imageName = (image: string) => image.split('@')[0] ?? image;

/** From creation until healthy (or until it finished without getting there); null while in progress. */
export function deploymentDuration(deployment: DeploymentView): number | null {
  const end = deployment.healthyAt ?? deployment.finishedAt;
  return end ? end.getTime() - deployment.createdAt.getTime() : null;
}

export function formatDuration(ms: number) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}

/** The first 7 hex digits of a commit, as git and the forges abbreviate it. */
export const shortSha = (sha: string) => sha.slice(0, 7);

/** A commit message's subject: its first non-empty line. */
export const commitSubject = (message: string) =>
  message
    .split('\n')
    .map((line) => line.trim())
    .find(Boolean) ?? '';

/** `refs/heads/main` → `main`, `refs/tags/v1` → `v1`; other refs (`refs/pull/7/head`) as they are. */
export const refName = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, '');

/** What each trigger means, for the badge's tooltip. */
export const TRIGGER_DESCRIPTIONS: Record<DeploymentView['trigger'], string> = {
  cli: 'Built and deployed by the CLI (or an image deployed through the API)',
  'git-push': 'Built by the server after a push to the tracked branch',
  'pull-request': "Built by the server for a pull request's preview",
  manual: 'Built or deployed again by hand from the dashboard or `rise d c --git`',
  rollback: 'A rollback to an earlier deployment',
};
