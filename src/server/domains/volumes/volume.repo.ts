import type { DeploymentStatus } from '@/generated/prisma/enums';
import { getDb, type Tx } from '@/server/db';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';

const withCreator = { createdBy: { select: { username: true } } } as const;

export const volumeRepo = {
  listForProject: (projectId: string) =>
    getDb().projectVolume.findMany({ where: { projectId }, orderBy: { name: 'asc' }, include: withCreator }),
  findForProject: (projectId: string, name: string) =>
    getDb().projectVolume.findUnique({ where: { projectId_name: { projectId, name } } }),
  create: (
    data: { projectId: string; name: string; mountPath: string; size: string; createdById: string | null },
    tx: Tx,
  ) => tx.projectVolume.create({ data }),
  findById: (id: string) =>
    getDb().projectVolume.findUnique({ where: { id }, include: { project: { select: { name: true } } } }),
  listScheduled: () =>
    getDb().projectVolume.findMany({
      where: { backupCron: { not: null } },
      select: { id: true, backupCron: true },
    }),
  setSchedule: (
    id: string,
    schedule: {
      backupCron: string | null;
      backupDestination: string | null;
      backupKeep: number | null;
      backupEncrypt: boolean;
    },
    tx: Tx,
  ) => tx.projectVolume.update({ where: { id }, data: schedule }),
  delete: async (projectId: string, name: string, tx: Tx) =>
    (await tx.projectVolume.deleteMany({ where: { projectId, name } })).count,
  /**
   * Deployments of the project's default group that have (or are about to have) a container with its
   * volumes mounted, oldest first.
   */
  mountingDeployments: (projectId: string, statuses: readonly DeploymentStatus[], tx: Tx) =>
    tx.deployment.findMany({
      where: {
        projectId,
        group: DEFAULT_GROUP,
        status: { in: [...statuses] },
      },
      select: { id: true, status: true },
      orderBy: { createdAt: 'asc' },
    }),
  /** Locks the project's row: a deploy that starts meanwhile sees the volume gone, or waits. */
  lockProject: (projectId: string, tx: Tx) =>
    tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`,
};
