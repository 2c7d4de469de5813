import type { Prisma } from '@/generated/prisma/client';
import { getDb, type Tx } from '@/server/db';

const withDestination = { destination: true, project: { select: { name: true } } } as const;

export type VolumeBackupRecord = Prisma.VolumeBackupGetPayload<{ include: typeof withDestination }>;

export const volumeBackupRepo = {
  create: (
    data: {
      projectId: string;
      volumeName: string;
      destinationId: string;
      encrypted: boolean;
      requestedById: string | null;
      trigger?: 'manual' | 'schedule';
    },
    tx: Tx,
  ) => tx.volumeBackup.create({ data, include: withDestination }),
  findById: (id: string) => getDb().volumeBackup.findUnique({ where: { id }, include: withDestination }),
  findInProject: (projectId: string, id: string) =>
    getDb().volumeBackup.findFirst({ where: { id, projectId }, include: withDestination }),
  list: (projectId: string, volumeName: string | undefined, take: number) =>
    getDb().volumeBackup.findMany({
      where: { projectId, ...(volumeName ? { volumeName } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      include: withDestination,
    }),
  /** A volume's scheduled backups, newest first. */
  listScheduled: (projectId: string, volumeName: string) =>
    getDb().volumeBackup.findMany({
      where: { projectId, volumeName, trigger: 'schedule' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: withDestination,
    }),
  deleteMany: (ids: string[]) => getDb().volumeBackup.deleteMany({ where: { id: { in: ids } } }),
  update: (id: string, data: Prisma.VolumeBackupUncheckedUpdateInput) =>
    getDb().volumeBackup.update({ where: { id }, data }),
};
