import { getDb } from '@/server/db';

export const notificationRepo = {
  create: (data: { kind: string; projectId: string | null; title: string; details: object }) =>
    getDb().notificationEvent.create({ data }),
  /** The newest first. */
  listForProject: (projectId: string | null, limit: number) =>
    getDb().notificationEvent.findMany({ where: { projectId }, orderBy: { createdAt: 'desc' }, take: limit }),
};
