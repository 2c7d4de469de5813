import { getDb } from '@/server/db';

export type WorkerHeartbeatRow = {
  id: string;
  hostname: string;
  pid: number;
  runtimeOk: boolean;
  runtimeDetail: string;
  startedAt: Date;
  seenAt: Date;
};

export const workerHeartbeatRepo = {
  save: (row: WorkerHeartbeatRow) => {
    const { id, ...fields } = row;
    return getDb().workerHeartbeat.upsert({ where: { id }, create: row, update: fields });
  },
  /** The most recently seen workers first. */
  listRecent: (limit: number): Promise<WorkerHeartbeatRow[]> =>
    getDb().workerHeartbeat.findMany({ orderBy: { seenAt: 'desc' }, take: limit }),
  deleteSeenBefore: (cutoff: Date) =>
    getDb().workerHeartbeat.deleteMany({ where: { seenAt: { lt: cutoff } } }),
};
