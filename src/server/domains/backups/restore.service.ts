import type { Caller } from '@/server/domains/access/caller';
import { badRequest, notFound } from '@/server/errors';
import { restoreJob } from '@/server/jobs/definitions/restore.job';
import { enqueue } from '@/server/jobs/enqueue';
import type { DrillReport, HistoryPage, RestoreView } from '@/shared/backups/backup.schema';
import { databaseEngine } from '@/shared/databases/database.schema';
import { recordAudit } from '../audit/audit.service';
import { createDatabase } from '../databases/database.service';
import { inTransaction, type RestoreListRecord, type RestoreRecord, restoreRepo } from './backup.repo';
import { findBackup } from './backup.service';
import { type BackupOwner, type BackupScope, backupsOf, ownsBackup, scopeAudit } from './backup-scope';

export function toRestoreView(row: RestoreRecord | RestoreListRecord): RestoreView {
  return {
    id: row.id,
    backupId: row.backupId,
    mode: row.mode,
    status: row.status,
    targetDatabase: row.targetDatabase?.name ?? null,
    report: (row.report as DrillReport | null) ?? null,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}

export async function listRestores(owner: BackupOwner, page: HistoryPage = {}) {
  return (await restoreRepo.list(backupsOf(owner), page)).map(toRestoreView);
}

export async function findRestore(owner: BackupOwner, id: string): Promise<RestoreRecord> {
  const row = await restoreRepo.findById(id);
  if (!row || !ownsBackup(owner, row.backup)) throw notFound(`Restore '${id}' does not exist.`);
  return row;
}

/**
 * Queues a restore of one succeeded backup: into its own database (`in_place`), into a new database
 * of the same engine created now (`new_database`, named `intoName`), or a drill into a scratch copy.
 */
export async function requestRestore(
  caller: Caller,
  scope: BackupScope,
  owner: BackupOwner,
  input: { backupId: string; mode: 'in_place' | 'new_database' | 'drill'; into?: string },
) {
  const backup = await findBackup(owner, input.backupId);
  if (backup.status !== 'succeeded') {
    throw badRequest(`Backup '${backup.id}' is ${backup.status}; only succeeded backups can be restored.`);
  }
  if ('deletedIn' in owner && input.mode !== 'new_database') {
    throw badRequest(
      'The database of this backup was deleted: restore it into a new database (--into <name>).',
    );
  }
  if ('platform' in owner && input.mode !== 'drill') {
    throw badRequest(
      'Rise’s own database can only be drilled here; restore it offline with `npm run platform:restore`.',
    );
  }
  if (input.mode === 'new_database' && (!input.into || scope.kind !== 'project')) {
    throw badRequest('Name the new database to restore into (--into <name>).');
  }
  const restore = await inTransaction(async (tx) => {
    const target =
      input.mode === 'new_database' && scope.kind === 'project'
        ? await createDatabase(
            caller,
            scope.project,
            { name: input.into as string, engine: databaseEngine.parse(backup.engine), envPrefix: null },
            { tx, provision: false },
          )
        : null;
    const created = await restoreRepo.create(
      {
        backupId: backup.id,
        mode: input.mode,
        targetDatabaseId:
          'databaseId' in owner && input.mode === 'in_place' ? owner.databaseId : (target?.id ?? null),
        requestedById: caller.kind === 'user' ? caller.user.id : null,
      },
      tx,
    );
    await enqueue(tx, restoreJob, { restoreId: created.id });
    await recordAudit(
      caller,
      {
        action: input.mode === 'drill' ? 'backup.drill' : 'backup.restore',
        targetType: 'backup',
        targetId: backup.id,
        targetName: backup.database?.name ?? backup.databaseName ?? 'platform',
        ...scopeAudit(scope),
        details: { mode: input.mode, into: target?.name ?? null, restoreId: created.id },
      },
      tx,
    );
    return created;
  });
  return toRestoreView(restore);
}

const TERMINAL = new Set(['succeeded', 'failed']);

/** Log lines of a restore as they are written, ending with one line once it finished. */
export async function* followRestore(
  owner: BackupOwner,
  id: string,
  signal?: AbortSignal,
  pollMs = 500,
): AsyncGenerator<{ id: string; level: string; message: string; at: Date; status: string }> {
  await findRestore(owner, id);
  let after = 0n;
  while (!signal?.aborted) {
    const restore = await restoreRepo.findById(id);
    const events = await restoreRepo.eventsAfter(id, after);
    for (const event of events) {
      after = event.id;
      yield {
        id: String(event.id),
        level: event.level,
        message: event.message,
        at: event.createdAt,
        status: restore?.status ?? 'failed',
      };
    }
    if (!restore || (TERMINAL.has(restore.status) && events.length === 0)) {
      yield {
        id: `end-${id}`,
        level: 'info',
        message: `restore ${restore?.status ?? 'deleted'}`,
        at: new Date(),
        status: restore?.status ?? 'failed',
      };
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
