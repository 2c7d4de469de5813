import { getDb } from '@/server/db';

/** The health path is probed once a minute: a minute already probed is not counted again. */
const notProbedIn = (minute: Date) => ({
  OR: [{ healthCheckedAt: null }, { healthCheckedAt: { lt: minute } }],
});

export const healthWatchRepo = {
  /** Projects on `runtimes` meant to run, with their live default deployment and its health-watch state. */
  watchedProjects: (runtimes: readonly string[]) =>
    getDb().project.findMany({
      where: {
        desiredState: 'running',
        runtime: { in: [...runtimes] },
        activeDeployment: { status: 'healthy' },
      },
      select: {
        id: true,
        name: true,
        runtime: true,
        port: true,
        healthPath: true,
        slotPortA: true,
        slotPortB: true,
        activeDeployment: {
          select: { id: true, slot: true, healthFailures: true, healthFailingSince: true },
        },
      },
      orderBy: { name: 'asc' },
    }),

  /** Counts one more failing probe in `minute`; false when that minute was already counted. */
  recordFailure: async (deploymentId: string, minute: Date): Promise<boolean> => {
    const { count } = await getDb().deployment.updateMany({
      where: { id: deploymentId, ...notProbedIn(minute) },
      data: { healthCheckedAt: minute, healthFailures: { increment: 1 } },
    });
    return count === 1;
  },

  /** Ends any failing streak with a passing probe in `minute`; false when that minute was already counted. */
  recordPass: async (deploymentId: string, minute: Date): Promise<boolean> => {
    const { count } = await getDb().deployment.updateMany({
      where: { id: deploymentId, ...notProbedIn(minute) },
      data: { healthCheckedAt: minute, healthFailures: 0, healthFailingSince: null },
    });
    return count === 1;
  },

  /** Marks the streak as told (`app.health-failing` raised); false when it already was. */
  markFailing: async (deploymentId: string, since: Date): Promise<boolean> => {
    const { count } = await getDb().deployment.updateMany({
      where: { id: deploymentId, healthFailingSince: null },
      data: { healthFailingSince: since },
    });
    return count === 1;
  },
};
