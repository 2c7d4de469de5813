import { getDb } from '@/server/db';

/** What a server build reads and records: its deployment's status and the commit it built. */
export const gitBuildRepo = {
  status: async (deploymentId: string) =>
    (await getDb().deployment.findUnique({ where: { id: deploymentId }, select: { status: true } }))
      ?.status ?? null,
  recordCommit: (deploymentId: string, commit: { sha: string; message: string; author: string }) =>
    getDb().deployment.update({
      where: { id: deploymentId },
      data: {
        commitSha: commit.sha,
        commitMessage: commit.message.slice(0, 2000),
        commitAuthor: commit.author.slice(0, 200),
      },
    }),
};
