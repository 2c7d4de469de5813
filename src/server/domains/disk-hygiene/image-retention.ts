import type { DeploymentStatus } from '@/generated/prisma/enums';
import { ALL_STATUSES, isTerminal } from '../deployments/state-machine';

/** Deployments whose image is still needed whatever their age: not finished (built, deployed or served). */
const IN_PROGRESS_OR_RUNNING: ReadonlySet<DeploymentStatus> = new Set(
  ALL_STATUSES.filter((status) => !isTerminal(status)),
);

export type RetentionDeployment = {
  id: string;
  status: DeploymentStatus;
  image: string | null;
  imageDigest: string | null;
  createdAt: Date;
};

/** One image no kept deployment uses: its digest (manifest digest, or image id for local images). */
export type ExpiredImage = { digest: string; image: string; deploymentIds: string[] };

/**
 * Which images of one project's deployments may go: all but those of the `keep` newest deployments
 * that have an image, the active ones (`activeIds`: the project's and its groups') and those in progress
 * or running. An image a kept deployment shares (a rollback re-deploys the same digest) stays.
 */
export function expiredImages(
  deployments: RetentionDeployment[],
  keep: number,
  activeIds: ReadonlySet<string>,
): { kept: string[]; expired: ExpiredImage[] } {
  const withImage = deployments
    .filter((deployment) => deployment.image && deployment.imageDigest)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const keptDigests = new Set<string>();
  const kept: string[] = [];
  withImage.forEach((deployment, index) => {
    if (index < keep || activeIds.has(deployment.id) || IN_PROGRESS_OR_RUNNING.has(deployment.status)) {
      keptDigests.add(deployment.imageDigest as string);
      kept.push(deployment.id);
    }
  });
  const expired = new Map<string, ExpiredImage>();
  for (const deployment of withImage) {
    const digest = deployment.imageDigest as string;
    if (keptDigests.has(digest)) continue;
    const entry = expired.get(digest) ?? { digest, image: deployment.image as string, deploymentIds: [] };
    entry.deploymentIds.push(deployment.id);
    expired.set(digest, entry);
  }
  return { kept, expired: [...expired.values()] };
}
