import type { Caller } from '@/server/domains/access/caller';
import { badRequest, notFound } from '@/server/errors';
import { volumeBackupJob } from '@/server/jobs/definitions/volume-backup.job';
import { cronScheduleKeys, enqueue, setCronSchedule } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import type { VolumeBackupView } from '@/shared/volumes/volume.schema';
import { recordAudit } from '../audit/audit.service';
import { DEFAULT_DESTINATION, findDestination } from '../backups/destination.service';
import { volumeRepo } from './volume.repo';
import { listVolumes, type Project, refuseWhileMounted, volumeAuditTarget } from './volume.service';
import { type VolumeBackupRecord, volumeBackupRepo } from './volume-backup.repo';

const LIST_LIMIT = 50;

type DrillReport = { missing: string[]; extra: string[]; changed: string[]; error: string | null };

export function toVolumeBackupView(row: VolumeBackupRecord): VolumeBackupView {
  const report = row.drillReport as DrillReport | null;
  return {
    id: row.id,
    volume: row.volumeName,
    destination: row.destination.name,
    status: row.status,
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    sha256: row.sha256,
    encrypted: row.encrypted,
    files: row.files,
    error: row.error,
    drill:
      row.drilledAt && row.drillOk !== null
        ? {
            at: row.drilledAt,
            ok: row.drillOk,
            missing: report?.missing ?? [],
            extra: report?.extra ?? [],
            changed: report?.changed ?? [],
            error: report?.error ?? null,
          }
        : null,
    restoredAt: row.restoredAt,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

/** Newest first, the last 50 (of one volume when named). */
export async function listVolumeBackups(project: Project, volume?: string): Promise<VolumeBackupView[]> {
  return (await volumeBackupRepo.list(project.id, volume, LIST_LIMIT)).map(toVolumeBackupView);
}

/**
 * Queues a backup of one volume now to a destination of the project (default `local`), like a
 * database backup: same destinations, archive format and encryption.
 */
export async function requestVolumeBackup(
  caller: Caller,
  project: Project,
  input: { volume: string; destination?: string; encrypt?: boolean },
): Promise<VolumeBackupView> {
  if (!(await volumeRepo.findForProject(project.id, input.volume))) {
    throw notFound(`'${project.name}' has no volume named ${input.volume}.`);
  }
  assertDocker(project);
  const destination = await findDestination(
    { kind: 'project', project },
    input.destination ?? DEFAULT_DESTINATION,
  );
  const row = await inTransaction(async (tx) => {
    const created = await volumeBackupRepo.create(
      {
        projectId: project.id,
        volumeName: input.volume,
        destinationId: destination.id,
        encrypted: input.encrypt ?? false,
        requestedById: caller.kind === 'user' ? caller.user.id : null,
      },
      tx,
    );
    await enqueue(tx, volumeBackupJob, { volumeBackupId: created.id, action: 'backup' });
    await recordAudit(
      caller,
      volumeAuditTarget(project, input.volume, 'volume.backup', {
        destination: destination.name,
        backup: created.id,
      }),
      tx,
    );
    return created;
  });
  return toVolumeBackupView(row);
}

/**
 * Queues a drill (restore into a scratch volume, compare every file's SHA-256 with the manifest; the
 * live volume is not touched) or a restore into the live volume, which needs the project stopped.
 */
export async function requestVolumeRestore(
  caller: Caller,
  project: Project,
  input: { backup: string; drill: boolean },
): Promise<VolumeBackupView> {
  const backup = await volumeBackupRepo.findInProject(project.id, input.backup);
  if (!backup) throw notFound(`'${project.name}' has no volume backup ${input.backup}.`);
  if (backup.status !== 'succeeded') {
    throw badRequest(
      `Volume backup ${backup.id} is ${backup.status}; only a succeeded backup can be restored.`,
    );
  }
  if (!input.drill && !(await volumeRepo.findForProject(project.id, backup.volumeName))) {
    throw notFound(
      `Volume ${backup.volumeName} of '${project.name}' no longer exists: create it again first.`,
    );
  }
  assertDocker(project);
  await inTransaction(async (tx) => {
    if (!input.drill) {
      await refuseWhileMounted(project, backup.volumeName, 'restore the backup into it', tx);
    }
    await enqueue(tx, volumeBackupJob, {
      volumeBackupId: backup.id,
      action: input.drill ? 'drill' : 'restore',
    });
    await recordAudit(
      caller,
      volumeAuditTarget(project, backup.volumeName, input.drill ? 'volume.drill' : 'volume.restore', {
        backup: backup.id,
      }),
      tx,
    );
  });
  return toVolumeBackupView(backup);
}

function assertDocker(project: Project) {
  if (project.runtime !== 'docker') {
    throw badRequest(
      `Volume backups run on the Docker runtime; '${project.name}' runs on ${project.runtime}: back up its PersistentVolumeClaims with your cluster's volume snapshots.`,
    );
  }
}

/**
 * Backs the volume up on `cron` (UTC) to a destination of the project, keeping the last `keep`
 * scheduled backups (manual ones are never deleted); `cron: null` stops it.
 */
export async function setVolumeBackupSchedule(
  caller: Caller,
  project: Project,
  input: {
    volume: string;
    cron: string | null;
    destination?: string;
    keep?: number | null;
    encrypt?: boolean;
  },
) {
  const volume = await volumeRepo.findForProject(project.id, input.volume);
  if (!volume) throw notFound(`'${project.name}' has no volume named ${input.volume}.`);
  if (input.cron !== null) assertDocker(project);
  const destination =
    input.cron === null
      ? null
      : await findDestination({ kind: 'project', project }, input.destination ?? DEFAULT_DESTINATION);
  await inTransaction(async (tx) => {
    await volumeRepo.setSchedule(
      volume.id,
      {
        backupCron: input.cron,
        backupDestination: destination?.name ?? null,
        backupKeep: input.cron === null ? null : (input.keep ?? null),
        backupEncrypt: input.cron === null ? false : (input.encrypt ?? false),
      },
      tx,
    );
    await recordAudit(
      caller,
      volumeAuditTarget(project, input.volume, 'volume.backup-schedule', {
        cron: input.cron ?? 'off',
        ...(destination ? { destination: destination.name } : {}),
      }),
      tx,
    );
  });
  await setCronSchedule(volumeBackupJob, volume.id, input.cron, { volumeId: volume.id });
  const [view] = (await listVolumes(project)).filter((row) => row.name === input.volume);
  return view!;
}

/** Makes pg-boss's cron schedules match the volumes' backup schedules (run by backup-schedule-sync). */
export async function syncVolumeBackupSchedules() {
  const wanted = new Map((await volumeRepo.listScheduled()).map((row) => [row.id, row.backupCron as string]));
  for (const [id, cron] of wanted) await setCronSchedule(volumeBackupJob, id, cron, { volumeId: id });
  let removed = 0;
  for (const key of await cronScheduleKeys(volumeBackupJob)) {
    if (!wanted.has(key)) {
      await setCronSchedule(volumeBackupJob, key, null, { volumeId: key });
      removed++;
    }
  }
  return { scheduled: wanted.size, removed };
}

/** Records the backup a volume's schedule asks for; null when the volume or its schedule is gone. */
export async function startScheduledVolumeBackup(volumeId: string): Promise<string | null> {
  const volume = await volumeRepo.findById(volumeId);
  if (!volume?.backupCron) return null;
  const project = { id: volume.projectId, name: volume.project.name };
  const destination = await findDestination(
    { kind: 'project', project: { ...project, ownerTeamId: null } },
    volume.backupDestination ?? DEFAULT_DESTINATION,
  );
  const row = await inTransaction((tx) =>
    volumeBackupRepo.create(
      {
        projectId: volume.projectId,
        volumeName: volume.name,
        destinationId: destination.id,
        encrypted: volume.backupEncrypt,
        requestedById: null,
        trigger: 'schedule',
      },
      tx,
    ),
  );
  return row.id;
}
