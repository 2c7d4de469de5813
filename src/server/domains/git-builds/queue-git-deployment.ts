import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { gitBuildJob } from '@/server/jobs/definitions/git-build.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { insertDeployment, withNewDeploymentId } from '../deployments/insert-deployment';

export type GitTrigger = 'git_push' | 'pull_request' | 'manual';

/** What to build: a ref (branch, tag, `refs/pull/7/head`) and, when known, the exact commit. */
export type GitCommit = { ref: string; sha?: string | null; message?: string | null; author?: string | null };

/**
 * Creates a deployment (`pending`) that the worker builds from the project's git source, and queues the
 * build, in one transaction: into `group` (a pull request's `pr-<n>`) with `expiresAt` when given.
 * Returns the deployment's id. `caller` is null for a webhook (the forge, not a Rise user).
 */
export async function queueGitDeployment(
  caller: Caller | null,
  project: { id: string; name: string; ownerTeamId: string | null },
  commit: GitCommit,
  options: { trigger: GitTrigger; group?: string; expiresAt?: Date | null },
): Promise<string> {
  const at = commit.sha ? `${commit.ref}@${commit.sha.slice(0, 7)}` : commit.ref;
  return withNewDeploymentId((id) =>
    inTransaction(async (tx: Tx) => {
      await insertDeployment(
        tx,
        caller,
        project,
        id,
        {
          status: 'pending',
          group: options.group ?? DEFAULT_GROUP,
          expiresAt: options.expiresAt ?? null,
          trigger: options.trigger,
          gitRef: commit.ref,
          commitSha: commit.sha ?? null,
          commitMessage: commit.message?.slice(0, 2000) ?? null,
          commitAuthor: commit.author?.slice(0, 200) ?? null,
        },
        {
          event: `Queued a server build of ${at}`,
          action: 'deployment.create',
          details: { build: 'server', trigger: options.trigger, ref: commit.ref, sha: commit.sha ?? null },
        },
      );
      await enqueue(tx, gitBuildJob, { deploymentId: id, projectId: project.id });
    }),
  );
}
