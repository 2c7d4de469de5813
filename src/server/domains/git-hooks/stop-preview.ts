import type { Caller } from '@/server/domains/access/caller';
import { stopJob } from '@/server/jobs/definitions/stop.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { deploymentRepo } from '../deployments/deployment.repo';
import { deploymentGroupRepo } from '../deployments/deployment-group.repo';
import { IN_PROGRESS } from '../deployments/state-machine';

type Project = { id: string; name: string; ownerTeamId: string | null };

/**
 * Stops a pull request's preview group, as `stopGroupRequest` does for a user; that one needs a Caller
 * and a forge is none (`caller` null: the audit entry is the system's). Returns false when the project
 * has no such group (already stopped, or never deployed).
 */
export async function stopPreviewGroup(caller: Caller | null, project: Project, group: string) {
  if (!(await deploymentGroupRepo.find(project.id, group))) return false;
  await inTransaction(async (tx) => {
    for (const deployment of await deploymentRepo.listInGroup(project.id, group, IN_PROGRESS, tx)) {
      const queued = deployment.status === 'pending' || deployment.status === 'pushed';
      await deploymentRepo.transition(
        deployment.id,
        deployment.status,
        queued ? 'cancelled' : 'cancelling',
        queued ? { terminationReason: 'cancelled' } : {},
        tx,
      );
      await deploymentRepo.addEvent(deployment.id, `Cancelled: pull request of ${group} closed`, 'warn', tx);
    }
    await enqueue(tx, stopJob, { projectId: project.id, group });
    await recordAudit(
      caller,
      {
        action: 'deployment.group.stop',
        targetType: 'project',
        targetId: project.id,
        targetName: project.name,
        projectId: project.id,
        teamId: project.ownerTeamId,
        details: { group, trigger: 'pull_request' },
      },
      tx,
    );
  });
  return true;
}
