import type { Caller } from '@/server/domains/access/caller';
import { badRequest, notFound } from '@/server/errors';
import { backupJob } from '@/server/jobs/definitions/backup.job';
import { enqueue } from '@/server/jobs/enqueue';
import type { BackupView, HistoryPage } from '@/shared/backups/backup.schema';
import { recordAudit } from '../audit/audit.service';
import type { DatabaseRecord } from '../databases/database.repo';
import { type BackupListRecord, type BackupRecord, backupRepo, inTransaction } from './backup.repo';
import { type BackupOwner, type BackupScope, backupsOf, ownsBackup, scopeAudit } from './backup-scope';
import { DEFAULT_DESTINATION, findDestination } from './destination.service';

export function toBackupView(row: BackupRecord | BackupListRecord): BackupView {
  return {
    id: row.id,
    database: row.database?.name ?? row.databaseName,
    scheduleId: row.scheduleId,
    destination: row.destination.name,
    status: row.status,
    trigger: row.trigger === 'schedule' ? 'schedule' : 'manual',
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    sha256: row.sha256,
    encrypted: row.encrypted,
    durationMs: row.durationMs,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

/** Newest first. */
export async function listBackups(owner: BackupOwner, page: HistoryPage = {}) {
  return (await backupRepo.list(backupsOf(owner), page)).map(toBackupView);
}

/** Queues a backup now, outside any schedule (so retention never deletes it). */
export async function requestBackup(
  caller: Caller,
  scope: BackupScope,
  database: DatabaseRecord | null,
  options: { destination?: string; encrypt?: boolean },
) {
  if (database && database.status !== 'running') {
    throw badRequest(
      `Database '${database.name}' is ${database.status}; it must be running to be backed up.`,
    );
  }
  const destination = await findDestination(scope, options.destination ?? DEFAULT_DESTINATION);
  const backup = await inTransaction(async (tx) => {
    const created = await backupRepo.create(
      {
        databaseId: database?.id ?? null,
        projectId: database?.projectId ?? null,
        databaseName: database?.name ?? null,
        destinationId: destination.id,
        engine: database?.engine ?? 'platform',
        trigger: 'manual',
        encrypted: options.encrypt ?? false,
        requestedById: caller.kind === 'user' ? caller.user.id : null,
      },
      tx,
    );
    await enqueue(tx, backupJob, { backupId: created.id });
    await recordAudit(
      caller,
      {
        action: 'backup.create',
        targetType: 'backup',
        targetId: created.id,
        targetName: database?.name ?? 'platform',
        ...scopeAudit(scope),
        details: { destination: destination.name },
      },
      tx,
    );
    return created;
  });
  return toBackupView(backup);
}

export async function findBackup(owner: BackupOwner, id: string): Promise<BackupRecord> {
  const row = await backupRepo.findById(id);
  if (!row || !ownsBackup(owner, row)) throw notFound(`Backup '${id}' does not exist.`);
  return row;
}

export async function getBackup(owner: BackupOwner, id: string) {
  return toBackupView(await findBackup(owner, id));
}
