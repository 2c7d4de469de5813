import { getDb } from '@/server/db';

/** Statuses of a deployment whose image may be uploading to the registry right now. */
const PUSHING = ['pending', 'building', 'pushing'] as const;

export const diskHygieneRepo = {
  projectIds: async () =>
    (await getDb().project.findMany({ select: { id: true }, orderBy: { name: 'asc' } })).map((row) => row.id),
  /** The project with its deployments' images and its active deployments (project's and groups'). */
  projectWithImages: (id: string) =>
    getDb().project.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        activeDeploymentId: true,
        deploymentGroups: { select: { activeDeploymentId: true } },
        deployments: {
          where: { imageDigest: { not: null }, imageRemovedAt: null },
          select: { id: true, status: true, image: true, imageDigest: true, createdAt: true },
        },
      },
    }),
  /** Records that image retention removed these deployments' image: none of them can run again. */
  markImageRemoved: (deploymentIds: string[], at = new Date()) =>
    getDb().deployment.updateMany({
      where: { id: { in: deploymentIds }, imageRemovedAt: null },
      data: { imageRemovedAt: at },
    }),
  /** Whether a deployment changed in the last `withinMs` is still before its push finished. */
  pushInProgress: async (withinMs: number) =>
    (await getDb().deployment.count({
      where: { status: { in: [...PUSHING] }, updatedAt: { gt: new Date(Date.now() - withinMs) } },
    })) > 0,
  /** Deletes the events of deployments that finished before `cutoff` (the deployments stay). */
  deleteEventsOfFinishedBefore: (cutoff: Date) =>
    getDb().deploymentEvent.deleteMany({ where: { deployment: { finishedAt: { lt: cutoff } } } }),
  alertLevel: async (id: string) =>
    (await getDb().diskAlertState.findUnique({ where: { id } }))?.level ?? 'ok',
  setAlertLevel: (id: string, level: string) =>
    getDb().diskAlertState.upsert({ where: { id }, create: { id, level }, update: { level } }),
};
