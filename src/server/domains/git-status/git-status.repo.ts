import { getDb } from '@/server/db';

export const gitStatusRepo = {
  lastState: async (deploymentId: string) =>
    (await getDb().gitCommitStatus.findUnique({ where: { deploymentId } }))?.state ?? null,
  saveState: (deploymentId: string, state: string) =>
    getDb().gitCommitStatus.upsert({
      where: { deploymentId },
      create: { deploymentId, state },
      update: { state, reportedAt: new Date() },
    }),
  findComment: async (projectId: string, number: number) =>
    (await getDb().gitPullRequestComment.findUnique({ where: { projectId_number: { projectId, number } } }))
      ?.commentId ?? null,
  saveComment: (projectId: string, number: number, commentId: string) =>
    getDb().gitPullRequestComment.upsert({
      where: { projectId_number: { projectId, number } },
      create: { projectId, number, commentId },
      update: { commentId },
    }),
  /** Git deployments changed since `since` whose project has a token, with the state last reported. */
  listRecent: (since: Date) =>
    getDb().deployment.findMany({
      where: {
        updatedAt: { gte: since },
        commitSha: { not: null },
        project: { gitSource: { accessToken: { not: null } } },
      },
      select: { id: true, status: true, gitStatus: { select: { state: true } } },
      orderBy: { updatedAt: 'asc' },
      take: 500,
    }),
};
