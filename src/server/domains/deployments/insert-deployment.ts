import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { expireJob } from '@/server/jobs/definitions/expire.job';
import { enqueue } from '@/server/jobs/enqueue';
import { isUniqueViolation } from '@/server/transaction';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { recordAudit } from '../audit/audit.service';
import { deploymentRepo } from './deployment.repo';
import { ensureGroup } from './deployment-groups.service';
import { newDeploymentId } from './deployment-id';

type NewDeployment = Omit<
  Parameters<typeof deploymentRepo.create>[0],
  'id' | 'projectId' | 'createdById' | 'createdByServiceAccountId'
> & { group: string };

/** Who creates a deployment: a user, a CI job's service account, or nobody (a forge's webhook). */
const creatorOf = (caller: Caller | null) => ({
  createdById: caller?.kind === 'user' ? caller.user.id : null,
  createdByServiceAccountId: caller?.kind === 'service-account' ? caller.serviceAccount.id : null,
});

/**
 * The writes every new deployment makes in the transaction that creates it: its group (a preview's row),
 * the deployment, its first event, the job that expires it (when it has an expiry) and the audit entry.
 * The caller adds the job that moves it on (deploy, or a server build).
 */
export async function insertDeployment(
  tx: Tx,
  caller: Caller | null,
  project: { id: string; name: string; ownerTeamId: string | null },
  id: string,
  deployment: NewDeployment,
  record: { event: string; action: string; details: Record<string, unknown> },
) {
  await ensureGroup(tx, project, deployment.group);
  await deploymentRepo.create({ id, projectId: project.id, ...creatorOf(caller), ...deployment }, tx);
  const inGroup = deployment.group === DEFAULT_GROUP ? '' : ` in group ${deployment.group}`;
  await deploymentRepo.addEvent(id, `${record.event}${inGroup}`, 'info', tx);
  if (deployment.expiresAt)
    await enqueue(tx, expireJob, { deploymentId: id }, { startAfter: deployment.expiresAt });
  await recordAudit(
    caller,
    {
      action: record.action,
      targetType: 'deployment',
      targetId: id,
      targetName: id,
      projectId: project.id,
      teamId: project.ownerTeamId,
      details: {
        ...record.details,
        ...(deployment.group === DEFAULT_GROUP ? {} : { group: deployment.group }),
      },
    },
    tx,
  );
}

/** Runs `write` with a new deployment id, again with another one if the id was taken meanwhile. */
export async function withNewDeploymentId(write: (id: string) => Promise<void>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const id = newDeploymentId();
    try {
      await write(id);
      return id;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}
