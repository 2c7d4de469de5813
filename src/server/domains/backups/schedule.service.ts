import type { z } from 'zod';
import { env } from '@/env';
import type { Caller } from '@/server/domains/access/caller';
import { badRequest, notFound } from '@/server/errors';
import { backupJob } from '@/server/jobs/definitions/backup.job';
import { cronScheduleKeys, setCronSchedule } from '@/server/jobs/enqueue';
import { cronExpression, nextRun, type scheduleInput } from '@/shared/backups/backup.schema';
import { recordAudit } from '../audit/audit.service';
import { inTransaction, scheduleRepo } from './backup.repo';
import { type BackupScope, scopeAudit } from './backup-scope';
import { DEFAULT_DESTINATION, findDestination } from './destination.service';

type ScheduleRow = Awaited<ReturnType<typeof scheduleRepo.listForDatabase>>[number];

export const toScheduleView = (row: ScheduleRow) => ({
  id: row.id,
  cron: row.cron,
  destination: row.destination.name,
  keepLast: row.keepLast,
  maxAgeDays: row.maxAgeDays,
  encrypt: row.encrypt,
  enabled: row.enabled,
  nextRunAt: row.enabled ? nextRun(row.cron) : null,
});

export async function listSchedules(databaseId: string | null) {
  return (await scheduleRepo.listForDatabase(databaseId)).map(toScheduleView);
}

/** Adds a cron schedule for a database (or, with databaseId null, for Rise's own database). */
export async function createSchedule(
  caller: Caller,
  scope: BackupScope,
  database: { id: string; name: string } | null,
  input: z.output<typeof scheduleInput>,
) {
  const destination = await findDestination(scope, input.destination);
  if (input.keepLast === null && input.maxAgeDays === null) {
    throw badRequest('Set --keep or --max-age-days: a schedule without retention fills its destination.');
  }
  const row = await inTransaction(async (tx) => {
    const created = await scheduleRepo.create(
      {
        databaseId: database?.id ?? null,
        destinationId: destination.id,
        cron: input.cron,
        keepLast: input.keepLast,
        maxAgeDays: input.maxAgeDays,
        encrypt: input.encrypt,
      },
      tx,
    );
    await recordAudit(
      caller,
      {
        action: 'backup.schedule.create',
        targetType: 'backup-schedule',
        targetId: created.id,
        targetName: database?.name ?? 'platform',
        ...scopeAudit(scope),
        details: { cron: input.cron, destination: destination.name, keepLast: input.keepLast },
      },
      tx,
    );
    return created;
  });
  await setCronSchedule(backupJob, row.id, row.cron, { scheduleId: row.id });
  return toScheduleView(row);
}

export async function deleteSchedule(
  caller: Caller,
  scope: BackupScope,
  databaseId: string | null,
  id: string,
) {
  const row = await scheduleRepo.findById(id);
  if (!row || row.databaseId !== databaseId) throw notFound(`Backup schedule '${id}' does not exist.`);
  await inTransaction(async (tx) => {
    await scheduleRepo.delete(id, tx);
    await recordAudit(
      caller,
      {
        action: 'backup.schedule.delete',
        targetType: 'backup-schedule',
        targetId: id,
        targetName: row.database?.name ?? 'platform',
        ...scopeAudit(scope),
      },
      tx,
    );
  });
  await setCronSchedule(backupJob, id, null, { scheduleId: id });
  return { id, deleted: true as const };
}

/**
 * Creates the platform schedule from RISE_PLATFORM_BACKUP_CRON when there is none (unless "off"),
 * then makes pg-boss's cron schedules of the backup queue match the enabled schedule rows.
 */
export async function syncBackupSchedules() {
  await ensurePlatformSchedule();
  const rows = await scheduleRepo.listAll();
  const wanted = new Map(rows.filter((row) => row.enabled).map((row) => [row.id, row.cron]));
  for (const [id, cron] of wanted) await setCronSchedule(backupJob, id, cron, { scheduleId: id });
  let removed = 0;
  for (const key of await cronScheduleKeys(backupJob)) {
    if (!wanted.has(key)) {
      await setCronSchedule(backupJob, key, null, { scheduleId: key });
      removed++;
    }
  }
  return { scheduled: wanted.size, removed };
}

async function ensurePlatformSchedule() {
  const cron = env.RISE_PLATFORM_BACKUP_CRON;
  if (cron === 'off' || (await scheduleRepo.listForDatabase(null)).length > 0) return;
  const parsed = cronExpression.safeParse(cron);
  if (!parsed.success) throw new Error(`RISE_PLATFORM_BACKUP_CRON: ${parsed.error.issues[0]?.message}`);
  const destination = await findDestination({ kind: 'platform' }, DEFAULT_DESTINATION);
  await inTransaction((tx) =>
    scheduleRepo.create(
      {
        databaseId: null,
        destinationId: destination.id,
        cron,
        keepLast: env.RISE_PLATFORM_BACKUP_KEEP,
        encrypt: true,
      },
      tx,
    ),
  );
}
