import type { DeploymentStatus } from '@/generated/prisma/enums';
import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { conflict, notFound } from '@/server/errors';
import { volumeBackupJob } from '@/server/jobs/definitions/volume-backup.job';
import { volumeRemoveJob } from '@/server/jobs/definitions/volume-remove.job';
import { enqueue, setCronSchedule } from '@/server/jobs/enqueue';
import type { InstanceVolume } from '@/server/runtime/types';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import type { VolumeView } from '@/shared/volumes/volume.schema';
import { recordAudit } from '../audit/audit.service';
import { volumeRepo } from './volume.repo';

export type Project = { id: string; name: string; ownerTeamId: string | null; runtime: string };

/**
 * Statuses of a deployment whose container has (or is about to have) the volumes mounted. A volume is
 * not deleted under a running app: Docker refuses to remove a volume in use, and an app losing its
 * files mid-request is worse than a clear refusal.
 */
const MOUNTING: readonly DeploymentStatus[] = [
  'deploying',
  'healthy',
  'unhealthy',
  'cancelling',
  'terminating',
];

export async function listVolumes(project: Project): Promise<VolumeView[]> {
  return (await volumeRepo.listForProject(project.id)).map((row) => ({
    name: row.name,
    mountPath: row.mountPath,
    size: row.size,
    backupSchedule: row.backupCron
      ? {
          cron: row.backupCron,
          destination: row.backupDestination ?? 'local',
          keep: row.backupKeep,
          encrypt: row.backupEncrypt,
        }
      : null,
    createdBy: row.createdBy?.username ?? null,
    createdAt: row.createdAt,
  }));
}

/** What the deploy engine mounts into the project's instances. */
export async function volumeMountsFor(projectId: string): Promise<InstanceVolume[]> {
  return (await volumeRepo.listForProject(projectId)).map(({ name, mountPath, size }) => ({
    name,
    mountPath,
    size,
  }));
}

/**
 * Adds a volume to the project. The running version keeps running without it: the next deployment
 * (a deploy, redeploy or rollback) mounts it.
 */
export async function createVolume(
  caller: Caller,
  project: Project,
  input: { name: string; mountPath: string; size: string },
): Promise<VolumeView[]> {
  try {
    await inTransaction(async (tx) => {
      await volumeRepo.create(
        {
          projectId: project.id,
          name: input.name,
          mountPath: input.mountPath,
          size: input.size,
          createdById: caller.kind === 'user' ? caller.user.id : null,
        },
        tx,
      );
      await recordAudit(caller, volumeAuditTarget(project, input.name, 'volume.create', input), tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const existing = (await volumeRepo.listForProject(project.id)).find(
        (volume) => volume.name === input.name || volume.mountPath === input.mountPath,
      );
      throw conflict(
        existing?.name === input.name
          ? `'${project.name}' already has a volume named ${input.name} (mounted at ${existing.mountPath}).`
          : `'${project.name}' already mounts volume ${existing?.name ?? '?'} at ${input.mountPath}: pick another mount path.`,
      );
    }
    throw error;
  }
  return listVolumes(project);
}

/** Deletes a volume and its data; refused while a deployment of the project has it mounted. */
export async function deleteVolume(caller: Caller, project: Project, name: string): Promise<VolumeView[]> {
  const volume = await volumeRepo.findForProject(project.id, name);
  await inTransaction(async (tx) => {
    await refuseWhileMounted(project, name, 'delete the volume; its data is deleted with it', tx);
    if ((await volumeRepo.delete(project.id, name, tx)) === 0) {
      throw notFound(`'${project.name}' has no volume named ${name}.`);
    }
    await enqueue(tx, volumeRemoveJob, {
      projectId: project.id,
      projectName: project.name,
      volume: name,
      runtime: project.runtime,
    });
    await recordAudit(caller, volumeAuditTarget(project, name, 'volume.delete', {}), tx);
  });
  // Its backups stay (restorable into a volume created again); its schedule goes.
  if (volume?.backupCron) await setCronSchedule(volumeBackupJob, volume.id, null, { volumeId: volume.id });
  return listVolumes(project);
}

/** Whether a deployment of the project has its volumes mounted now (a restore re-checks it). */
export async function volumesMounted(projectId: string): Promise<boolean> {
  return inTransaction(
    async (tx) => (await volumeRepo.mountingDeployments(projectId, MOUNTING, tx)).length > 0,
  );
}

/**
 * Throws CONFLICT while a deployment of the project has (or is about to have) its volumes mounted;
 * holds the project's row lock for the rest of `tx`, so no deploy starts meanwhile.
 */
export async function refuseWhileMounted(project: Project, volume: string, then: string, tx: Tx) {
  await volumeRepo.lockProject(project.id, tx);
  const mounting = await volumeRepo.mountingDeployments(project.id, MOUNTING, tx);
  if (mounting.length === 0) return;
  const ids = mounting.map((deployment) => `${deployment.id} (${deployment.status})`).join(', ');
  throw conflict(
    `Volume ${volume} is mounted by deployment ${ids} of '${project.name}'. Stop the project first ` +
      `(rise d stop ${project.name}), then ${then}.`,
  );
}

export function volumeAuditTarget(
  project: Project,
  name: string,
  action: string,
  details: Record<string, string>,
) {
  return {
    action,
    targetType: 'volume',
    targetName: name,
    projectId: project.id,
    teamId: project.ownerTeamId,
    details,
  };
}
