import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { expireJob } from '@/server/jobs/definitions/expire.job';
import { gitBuildJob } from '@/server/jobs/definitions/git-build.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { recordAudit } from '../audit/audit.service';
import { deploymentRepo } from '../deployments/deployment.repo';
import { ensureGroup } from '../deployments/deployment-groups.service';
import { newDeploymentId } from '../deployments/deployment-id';

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
  const group = options.group ?? DEFAULT_GROUP;
  const id = newDeploymentId();
  await inTransaction(async (tx: Tx) => {
    await ensureGroup(tx, project, group);
    await deploymentRepo.create(
      {
        id,
        projectId: project.id,
        status: 'pending',
        createdById: caller?.kind === 'user' ? caller.user.id : null,
        createdByServiceAccountId: caller?.kind === 'service-account' ? caller.serviceAccount.id : null,
        group,
        expiresAt: options.expiresAt ?? null,
        trigger: options.trigger,
        gitRef: commit.ref,
        commitSha: commit.sha ?? null,
        commitMessage: commit.message?.slice(0, 2000) ?? null,
        commitAuthor: commit.author?.slice(0, 200) ?? null,
      },
      tx,
    );
    const at = commit.sha ? `${commit.ref}@${commit.sha.slice(0, 7)}` : commit.ref;
    await deploymentRepo.addEvent(id, `Queued a server build of ${at}`, 'info', tx);
    await enqueue(tx, gitBuildJob, { deploymentId: id, projectId: project.id });
    if (options.expiresAt)
      await enqueue(tx, expireJob, { deploymentId: id }, { startAfter: options.expiresAt });
    await recordAudit(
      caller,
      {
        action: 'deployment.create',
        targetType: 'deployment',
        targetId: id,
        targetName: id,
        projectId: project.id,
        teamId: project.ownerTeamId,
        details: {
          build: 'server',
          trigger: options.trigger,
          ref: commit.ref,
          sha: commit.sha ?? null,
          group,
        },
      },
      tx,
    );
  });
  return id;
}
