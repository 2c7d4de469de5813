import { getDb } from '@/server/db';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';

/** What the overview and the events feed read besides the samples. */
export const appMetricsReadRepo = {
  projectIdsByName: (names: string[]) =>
    getDb().project.findMany({ where: { name: { in: names } }, select: { id: true, name: true } }),

  recentNotifications: (projectIds: string[], limit: number) =>
    getDb().notificationEvent.findMany({
      where: { projectId: { in: projectIds } },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { id: true, createdAt: true, kind: true, title: true, project: { select: { name: true } } },
    }),

  /** Up and total checks of a project's own URL (not its previews') since `since`, over both resolutions. */
  uptimeTotals: async (projectId: string, since: Date) => {
    const totals = await getDb().uptimeCheck.aggregate({
      where: { projectId, group: DEFAULT_GROUP, at: { gte: since } },
      _sum: { checks: true, upChecks: true },
    });
    return { checks: totals._sum.checks ?? 0, upChecks: totals._sum.upChecks ?? 0 };
  },
};
