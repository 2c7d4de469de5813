import type { Caller } from '@/server/domains/access/caller';
import { AppError } from '@/server/errors';
import { gitSourceRepo } from '../git-sources/git-source.repo';
import { queueGitDeployment } from './queue-git-deployment';

const COMMIT_SHA = /^[0-9a-f]{40}$/i;

/**
 * `rise d c --git [--ref REF]`: queues a server build of the project's git source, at `ref` (a branch,
 * a tag or a full commit sha) or the source's branch. Returns the deployment's id.
 */
export async function queueManualGitDeployment(
  caller: Caller,
  project: { id: string; name: string; ownerTeamId: string | null },
  ref: string | undefined,
  placement: { group: string; expiresAt: Date | null },
): Promise<string> {
  const source = await gitSourceRepo.find(project.id);
  if (!source)
    throw new AppError(
      'PRECONDITION_FAILED',
      `Project '${project.name}' has no git source: connect a repository first (rise p u ${project.name} --git URL).`,
    );
  const commit =
    ref && COMMIT_SHA.test(ref)
      ? { ref: source.branch, sha: ref.toLowerCase() }
      : { ref: ref ?? source.branch };
  return queueGitDeployment(caller, project, commit, {
    trigger: 'manual',
    group: placement.group,
    expiresAt: placement.expiresAt,
  });
}
