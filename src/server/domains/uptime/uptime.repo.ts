import { getDb } from '@/server/db';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { downsampleTable } from '../app-metrics/downsample.repo';
import type { Resolution } from '../app-metrics/retention';

export type UptimeRow = {
  projectId: string;
  /** The deployment group checked: `default` (the project's URL) or a preview's. */
  group: string;
  at: Date;
  up: boolean;
  responseMs: number | null;
  statusCode: number | null;
  error: string | null;
};

/** One URL the uptime check probes: a project's default group or one of its previews, with a live deployment. */
export type UptimeTarget = {
  projectId: string;
  project: string;
  group: string;
  /** The preview's stored host; null for the default group (`<name>.<base domain>`). */
  host: string | null;
  visibility: 'public' | 'private';
  /** The active deployment's instance, for probing a private app behind its sign-in. */
  instance: { deploymentId: string; port: number; hostPort: number | null };
};

const live = { status: 'healthy' as const };
const slotPort = (slot: 'a' | 'b' | null, ports: { slotPortA: number | null; slotPortB: number | null }) =>
  slot === 'a' ? ports.slotPortA : slot === 'b' ? ports.slotPortB : null;

export const uptimeRepo = {
  /**
   * The URLs checked, of projects on `runtimes`: the default group when the project is meant to run
   * and its active deployment is live, and each preview group whose active deployment is live.
   */
  checkedTargets: async (runtimes: readonly string[]): Promise<UptimeTarget[]> => {
    const projects = await getDb().project.findMany({
      where: {
        runtime: { in: [...runtimes] },
        OR: [
          { desiredState: 'running', activeDeployment: live },
          // A stopped project's previews keep running (each is stopped on its own).
          { deploymentGroups: { some: { activeDeployment: live } } },
        ],
      },
      select: {
        id: true,
        name: true,
        desiredState: true,
        visibility: true,
        port: true,
        slotPortA: true,
        slotPortB: true,
        activeDeployment: { select: { id: true, status: true, slot: true } },
        deploymentGroups: {
          where: { activeDeployment: live },
          select: {
            name: true,
            host: true,
            slotPortA: true,
            slotPortB: true,
            activeDeployment: { select: { id: true, slot: true } },
          },
          orderBy: { name: 'asc' },
        },
      },
      orderBy: { name: 'asc' },
    });
    return projects.flatMap((project) => {
      const base = { projectId: project.id, project: project.name, visibility: project.visibility };
      const active = project.activeDeployment;
      return [
        ...(project.desiredState === 'running' && active?.status === 'healthy'
          ? [
              {
                ...base,
                group: DEFAULT_GROUP,
                host: null,
                instance: {
                  deploymentId: active.id,
                  port: project.port,
                  hostPort: slotPort(active.slot, project),
                },
              },
            ]
          : []),
        ...project.deploymentGroups.flatMap((group) =>
          group.activeDeployment
            ? [
                {
                  ...base,
                  group: group.name,
                  host: group.host,
                  instance: {
                    deploymentId: group.activeDeployment.id,
                    port: project.port,
                    hostPort: slotPort(group.activeDeployment.slot, group),
                  },
                },
              ]
            : [],
        ),
      ];
    });
  },

  /** The newest minute check of a project's group, which the next one is compared with. */
  lastCheck: (projectId: string, group: string) =>
    getDb().uptimeCheck.findFirst({
      where: { projectId, group, resolution: 'minute' },
      orderBy: { at: 'desc' },
      select: { at: true, upChecks: true },
    }),

  /** Writes one minute check; false when the minute was already checked (another run got there first). */
  insertMinute: async (row: UptimeRow): Promise<boolean> => {
    const { count } = await getDb().uptimeCheck.createMany({
      data: [
        {
          projectId: row.projectId,
          group: row.group,
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

  /** The checks of one group's URL (default: the project's own). */
  series: (projectId: string, resolution: Resolution, from: Date, to: Date, group = DEFAULT_GROUP) =>
    getDb().uptimeCheck.findMany({
      where: { projectId, group, resolution, at: { gte: from, lte: to } },
      orderBy: { at: 'asc' },
    }),

  /** Each project's newest minute check of its own URL (default group) at or after `since`. */
  latest: (projectIds: string[], since: Date) =>
    getDb().uptimeCheck.findMany({
      where: {
        projectId: { in: projectIds },
        group: DEFAULT_GROUP,
        resolution: 'minute',
        at: { gte: since },
      },
      orderBy: { at: 'desc' },
      distinct: ['projectId'],
    }),

  /** As appMetricsRepo.downsample: hourly counts, average and slowest response; then the 30-day cut. */
  downsample: (foldBefore: Date, deleteBefore: Date) =>
    downsampleTable(
      'uptime_checks',
      (tx) => tx.$executeRaw`
        INSERT INTO uptime_checks (project_id, "group", resolution, at, checks, up_checks, response_ms, response_ms_max)
        SELECT project_id, "group", 'hour', date_trunc('hour', at), sum(checks), sum(up_checks), avg(response_ms),
          max(coalesce(response_ms_max, response_ms))
        FROM uptime_checks
        WHERE resolution = 'minute' AND at < ${foldBefore}
        GROUP BY project_id, "group", date_trunc('hour', at)
        ON CONFLICT (project_id, "group", resolution, at) DO UPDATE SET
          checks = uptime_checks.checks + excluded.checks,
          up_checks = uptime_checks.up_checks + excluded.up_checks,
          response_ms_max = greatest(uptime_checks.response_ms_max, excluded.response_ms_max)`,
      foldBefore,
      deleteBefore,
    ),
};
