import type { DeploymentStatus, TerminationReason } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';

export const deploymentRepo = {
  create: (
    data: {
      id: string;
      projectId: string;
      status: DeploymentStatus;
      image?: string | null;
      createdById?: string | null;
    },
    tx?: Tx,
  ) => (tx ?? getDb()).deployment.create({ data }),
  findById: (id: string) => getDb().deployment.findUnique({ where: { id } }),
  /**
   * Moves a deployment from `from` to `to` only if it is still in `from` (compare-and-set in SQL), so two
   * workers can never both move one deployment. Returns whether this caller made the transition.
   */
  transition: async (
    id: string,
    from: DeploymentStatus | readonly DeploymentStatus[],
    to: DeploymentStatus,
    data: {
      error?: string | null;
      terminationReason?: TerminationReason | null;
      imageDigest?: string | null;
    } = {},
    tx?: Tx,
  ) => {
    const expected = typeof from === 'string' ? [from] : [...from];
    const now = new Date();
    const timestamps = {
      ...(to === 'building' || to === 'deploying' ? { startedAt: now } : {}),
      ...(to === 'healthy' ? { healthyAt: now } : {}),
    };
    const result = await (tx ?? getDb()).deployment.updateMany({
      where: { id, status: { in: expected } },
      data: { status: to, ...timestamps, ...data },
    });
    return result.count === 1;
  },
};
