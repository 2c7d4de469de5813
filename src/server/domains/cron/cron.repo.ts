import { getDb, type Tx } from '@/server/db';

/** Runs kept per cron job; older ones are deleted when a run starts. */
export const CRON_RUNS_KEPT = 50;

export const cronRepo = {
  listJobs: (projectId: string) =>
    getDb().cronJob.findMany({
      where: { projectId },
      orderBy: { name: 'asc' },
      include: { runs: { orderBy: { startedAt: 'desc' }, take: 1 } },
    }),

  findJob: (id: string) =>
    getDb().cronJob.findUnique({
      where: { id },
      include: { project: { select: { id: true, name: true, runtime: true } } },
    }),

  findJobByName: (projectId: string, name: string) =>
    getDb().cronJob.findUnique({ where: { projectId_name: { projectId, name } } }),

  /** Makes the project's jobs exactly `jobs` (by name); returns the kept ones and the ids removed. */
  replaceJobs: async (
    projectId: string,
    jobs: { name: string; schedule: string; command: string[] }[],
    tx: Tx,
  ) => {
    const existing = await tx.cronJob.findMany({ where: { projectId }, select: { id: true, name: true } });
    const wanted = new Set(jobs.map((job) => job.name));
    const removed = existing.filter((job) => !wanted.has(job.name)).map((job) => job.id);
    if (removed.length > 0) await tx.cronJob.deleteMany({ where: { id: { in: removed } } });
    const kept = [];
    for (const job of jobs) {
      kept.push(
        await tx.cronJob.upsert({
          where: { projectId_name: { projectId, name: job.name } },
          create: { projectId, ...job },
          update: { schedule: job.schedule, command: job.command },
        }),
      );
    }
    return { kept, removed };
  },

  allJobs: () => getDb().cronJob.findMany({ select: { id: true, schedule: true } }),

  runs: (cronJobId: string, limit: number) =>
    getDb().cronRun.findMany({ where: { cronJobId }, orderBy: { startedAt: 'desc' }, take: limit }),

  startRun: async (run: {
    cronJobId: string;
    deploymentId: string | null;
    status: string;
    reason?: string;
  }) => {
    const old = await getDb().cronRun.findMany({
      where: { cronJobId: run.cronJobId },
      orderBy: { startedAt: 'desc' },
      skip: CRON_RUNS_KEPT - 1,
      select: { id: true },
    });
    if (old.length > 0) await getDb().cronRun.deleteMany({ where: { id: { in: old.map((row) => row.id) } } });
    return getDb().cronRun.create({
      data: { ...run, output: [], ...(run.status === 'skipped' ? { finishedAt: new Date() } : {}) },
    });
  },

  finishRun: (
    id: string,
    end: { status: string; exitCode: number | null; reason: string | null; output: string[] },
  ) => getDb().cronRun.update({ where: { id }, data: { ...end, finishedAt: new Date() } }),
};
