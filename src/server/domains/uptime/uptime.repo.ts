import { getDb } from '@/server/db';
import type { Resolution } from '../app-metrics/retention';

export type UptimeRow = {
  projectId: string;
  at: Date;
  up: boolean;
  responseMs: number | null;
  statusCode: number | null;
  error: string | null;
};

export const uptimeRepo = {
  /** Projects on `runtimes` meant to run with a live default deployment: those whose URL is checked. */
  checkedProjects: (runtimes: readonly string[]) =>
    getDb().project.findMany({
      where: {
        desiredState: 'running',
        runtime: { in: [...runtimes] },
        activeDeployment: { status: 'healthy' },
      },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    }),

  /** The newest minute check of a project, which the next one is compared with. */
  lastCheck: (projectId: string) =>
    getDb().uptimeCheck.findFirst({
      where: { projectId, resolution: 'minute' },
      orderBy: { at: 'desc' },
      select: { at: true, upChecks: true },
    }),

  /** Writes one minute check; false when the minute was already checked (another run got there first). */
  insertMinute: async (row: UptimeRow): Promise<boolean> => {
    const { count } = await getDb().uptimeCheck.createMany({
      data: [
        {
          projectId: row.projectId,
          resolution: 'minute',
          at: row.at,
          checks: 1,
          upChecks: row.up ? 1 : 0,
          responseMs: row.responseMs,
          responseMsMax: row.responseMs,
          statusCode: row.statusCode,
          error: row.error,
        },
      ],
      skipDuplicates: true,
    });
    return count === 1;
  },

  series: (projectId: string, resolution: Resolution, from: Date, to: Date) =>
    getDb().uptimeCheck.findMany({
      where: { projectId, resolution, at: { gte: from, lte: to } },
      orderBy: { at: 'asc' },
    }),

  /** Each project's newest minute check at or after `since`. */
  latest: (projectIds: string[], since: Date) =>
    getDb().uptimeCheck.findMany({
      where: { projectId: { in: projectIds }, resolution: 'minute', at: { gte: since } },
      orderBy: { at: 'desc' },
      distinct: ['projectId'],
    }),

  /** As appMetricsRepo.downsample: hourly counts, average and slowest response; then the 30-day cut. */
  downsample: (foldBefore: Date, deleteBefore: Date) =>
    getDb().$transaction(async (tx) => {
      const folded = await tx.$executeRaw`
        INSERT INTO uptime_checks (project_id, resolution, at, checks, up_checks, response_ms, response_ms_max)
        SELECT project_id, 'hour', date_trunc('hour', at), sum(checks), sum(up_checks), avg(response_ms),
          max(coalesce(response_ms_max, response_ms))
        FROM uptime_checks
        WHERE resolution = 'minute' AND at < ${foldBefore}
        GROUP BY project_id, date_trunc('hour', at)
        ON CONFLICT (project_id, resolution, at) DO UPDATE SET
          checks = uptime_checks.checks + excluded.checks,
          up_checks = uptime_checks.up_checks + excluded.up_checks,
          response_ms_max = greatest(uptime_checks.response_ms_max, excluded.response_ms_max)`;
      const { count: foldedMinutes } = await tx.uptimeCheck.deleteMany({
        where: { resolution: 'minute', at: { lt: foldBefore } },
      });
      const { count: deletedHours } = await tx.uptimeCheck.deleteMany({
        where: { resolution: 'hour', at: { lt: deleteBefore } },
      });
      return { hoursWritten: folded, foldedMinutes, deletedHours };
    }),
};
