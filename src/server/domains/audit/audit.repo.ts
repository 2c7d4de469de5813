import { getDb, type Prisma, type Tx } from '@/server/db';

export type AuditEventInput = {
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  targetName?: string | null;
  projectId?: string | null;
  teamId?: string | null;
  details?: Prisma.InputJsonObject;
};

export type AuditFilter = {
  projectIds?: string[];
  teamIds?: string[];
  actorId?: string;
  action?: string;
  /** When set, events must match one of these scopes (a non-admin's view). */
  visibleTo?: { actorId: string; projectIds: string[]; teamIds: string[] };
};

export const auditRepo = {
  insert: (event: AuditEventInput, tx?: Tx) => (tx ?? getDb()).auditEvent.create({ data: event }),
  list: (filter: AuditFilter, page: { limit: number; cursor?: string }) => {
    const where: Prisma.AuditEventWhereInput = {
      ...(filter.projectIds ? { projectId: { in: filter.projectIds } } : {}),
      ...(filter.teamIds ? { teamId: { in: filter.teamIds } } : {}),
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.action ? { action: { startsWith: filter.action } } : {}),
      ...(filter.visibleTo
        ? {
            OR: [
              { actorId: filter.visibleTo.actorId },
              { projectId: { in: filter.visibleTo.projectIds } },
              { teamId: { in: filter.visibleTo.teamIds } },
            ],
          }
        : {}),
    };
    return getDb().auditEvent.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
  },
};
