import type { DeploymentStatus } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';

/** Build output lines are deployment events of this level: the deployment's one log, shown everywhere events are. */
export const BUILD_LOG_LEVEL = 'build';

export const buildLogRepo = {
  /**
   * The deployment's status, locking its row until the transaction ends: appends to one deployment
   * run one at a time (so its size limit holds) and cannot interleave with a status change.
   */
  lockDeployment: async (projectId: string, deploymentId: string, tx: Tx) => {
    const [row] = await tx.$queryRaw<{ status: DeploymentStatus }[]>`
      SELECT status::text AS status FROM deployments
      WHERE id = ${deploymentId} AND project_id = ${projectId}
      FOR UPDATE`;
    return row?.status ?? null;
  },
  /** Lines and characters the deployment's build log holds, and whether `fullMarker` was written. */
  usage: async (deploymentId: string, fullMarker: string, tx: Tx) => {
    const [row] = await tx.$queryRaw<{ lines: bigint; chars: bigint; full: boolean }[]>`
      SELECT count(*) FILTER (WHERE level = ${BUILD_LOG_LEVEL}) AS lines,
             coalesce(sum(length(message)) FILTER (WHERE level = ${BUILD_LOG_LEVEL}), 0) AS chars,
             coalesce(bool_or(level = 'warn' AND starts_with(message, ${fullMarker})), false) AS full
      FROM deployment_events WHERE deployment_id = ${deploymentId}`;
    return { lines: Number(row?.lines ?? 0), chars: Number(row?.chars ?? 0), full: row?.full ?? false };
  },
  /** Deletes the build output of deployments that finished before `cutoff` (their other events stay). */
  deleteOfFinishedBefore: (cutoff: Date) =>
    getDb().deploymentEvent.deleteMany({
      where: { level: BUILD_LOG_LEVEL, deployment: { finishedAt: { lt: cutoff } } },
    }),
  insertLines: (deploymentId: string, lines: string[], tx: Tx) =>
    tx.deploymentEvent.createMany({
      data: lines.map((message) => ({ deploymentId, message, level: BUILD_LOG_LEVEL })),
    }),
};
