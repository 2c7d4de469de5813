import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { archiveStages } from '@/server/backups/archive/backup-archive';
import { backupsToDelete } from '@/server/backups/retention';
import type { Prisma } from '@/server/db';
import { recordBackup } from '@/server/metrics/record-metrics';
import { type BackupRecord, backupRepo, scheduleRepo } from './backup.repo';
import type { BackupDeps } from './backup-deps';
import { type BackupSubject, managedDatabaseSubject, platformSubject } from './backup-subject';

/** Records the backup a cron schedule asks for; null when the schedule is gone or disabled. */
export async function startScheduledBackup(scheduleId: string) {
  const schedule = await scheduleRepo.findById(scheduleId);
  if (!schedule?.enabled) return null;
  return backupRepo.create({
    databaseId: schedule.databaseId,
    projectId: schedule.database?.projectId ?? null,
    databaseName: schedule.database?.name ?? null,
    scheduleId: schedule.id,
    destinationId: schedule.destinationId,
    engine: schedule.database?.engine ?? 'platform',
    trigger: 'schedule',
    encrypted: schedule.encrypt,
  });
}

async function subjectOf(deps: BackupDeps, backup: BackupRecord): Promise<BackupSubject> {
  if (backup.engine === 'platform') return platformSubject(deps.platform);
  const database = backup.databaseId ? await deps.repos.databases.findById(backup.databaseId) : null;
  if (!database) throw new Error('The database was deleted.');
  return managedDatabaseSubject(deps.host, database);
}

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * Dumps, compresses (and encrypts), uploads and verifies one backup. It is marked succeeded only after
 * the destination read the object back with the same size and SHA-256; any failure marks it failed
 * and raises a `backup.failed` notification. Then the schedule's retention runs.
 */
export async function runBackup(deps: BackupDeps, backupId: string, signal?: AbortSignal) {
  const backups = deps.repos.backups;
  const backup = await backups.findById(backupId);
  if (!backup || backup.status === 'succeeded' || backup.status === 'failed') return { skipped: backupId };
  const startedAt = deps.now();
  await backups.update(backup.id, { status: 'running', startedAt });
  let outcome: { id: string; status: 'succeeded' | 'failed'; error?: string };
  try {
    const subject = await subjectOf(deps, backup);
    const key = `${subject.keyPrefix}/${stamp(startedAt)}-${backup.id}.${subject.extension}.gz${backup.encrypted ? '.enc' : ''}`;
    const store = deps.openStore(backup.destination);
    const archiveKey = backup.encrypted ? deps.archiveKey() : undefined;
    const { stored, tableCounts } = await subject.capture(async (tableCounts, dump) => {
      const archive = new PassThrough();
      pipeline(dump, ...archiveStages({ key: archiveKey }), archive).catch((error: Error) =>
        archive.destroy(error),
      );
      return { stored: await store.put(key, archive, { signal }), tableCounts };
    }, signal);
    const finishedAt = deps.now();
    await backups.update(backup.id, {
      status: 'succeeded',
      key: stored.key,
      sizeBytes: BigInt(stored.size),
      sha256: stored.sha256,
      tableCounts: tableCounts as unknown as Prisma.InputJsonArray,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    });
    outcome = { id: backup.id, status: 'succeeded' };
    recordBackup({
      engine: backup.engine,
      result: 'succeeded',
      ms: finishedAt.getTime() - startedAt.getTime(),
      sizeBytes: stored.size,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const finishedAt = deps.now();
    await backups.update(backup.id, {
      status: 'failed',
      error: message,
      finishedAt,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
    });
    recordBackup({ engine: backup.engine, result: 'failed', ms: finishedAt.getTime() - startedAt.getTime() });
    const name = backup.project ? `${backup.project.name}/${backup.databaseName}` : 'Rise (platform)';
    await deps.notify({
      kind: 'backup.failed',
      projectId: backup.projectId,
      title: `Backup of ${name} failed`,
      details: { backupId: backup.id, database: backup.databaseName, error: message },
    });
    outcome = { id: backup.id, status: 'failed', error: message };
  }
  if (backup.scheduleId) await applyRetention(deps, backup.scheduleId);
  return outcome;
}

/**
 * Deletes what the schedule's retention policy no longer keeps: the stored object, then the row.
 * Only this schedule's backups are considered; a backup whose object cannot be deleted is kept.
 */
export async function applyRetention(deps: BackupDeps, scheduleId: string) {
  const schedule = await deps.repos.schedules.findById(scheduleId);
  if (!schedule) return [];
  const backups = await deps.repos.backups.listForSchedule(scheduleId);
  const doomed = backupsToDelete(
    scheduleId,
    backups.map((b) => ({
      id: b.id,
      scheduleId: b.scheduleId as string,
      createdAt: b.createdAt,
      status: b.status,
    })),
    { keepLast: schedule.keepLast ?? undefined, maxAgeDays: schedule.maxAgeDays ?? undefined },
    deps.now(),
  );
  const deleted: string[] = [];
  for (const id of doomed) {
    const backup = backups.find((b) => b.id === id);
    if (!backup) continue;
    try {
      if (backup.key) await deps.openStore(backup.destination).delete(backup.key);
      deleted.push(id);
    } catch {
      // Kept for the next run: a row must not outlive knowledge of its object.
    }
  }
  if (deleted.length > 0) await deps.repos.backups.deleteMany(deleted);
  return deleted;
}
