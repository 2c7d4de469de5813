import type { Prisma, Tx } from '@/server/db';

/** What a project's processes are made of: web's columns and the `processes` column. */
const processColumns = {
  id: true,
  name: true,
  desiredState: true,
  activeDeploymentId: true,
  replicas: true,
  startCommand: true,
  releaseCommand: true,
  cpuLimit: true,
  memoryLimitMb: true,
  processes: true,
} as const satisfies Prisma.ProjectSelect;

export type ProjectProcessRow = Prisma.ProjectGetPayload<{ select: typeof processColumns }>;

export const processRepo = {
  /** The project's process columns, its row locked until `tx` ends (scales and syncs queue up). */
  lockForUpdate: async (projectId: string, tx: Tx): Promise<ProjectProcessRow> => {
    await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;
    return tx.project.findUniqueOrThrow({ where: { id: projectId }, select: processColumns });
  },

  update: (
    projectId: string,
    data: Pick<
      Prisma.ProjectUncheckedUpdateInput,
      'replicas' | 'startCommand' | 'releaseCommand' | 'cpuLimit' | 'memoryLimitMb' | 'processes'
    >,
    tx: Tx,
  ) => tx.project.update({ where: { id: projectId }, data, select: processColumns }),
};
