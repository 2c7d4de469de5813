import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unarchiveStages } from '@/server/backups/archive/backup-archive';
import type { DatabaseTarget } from '@/server/databases/types';
import type { DrillReport } from '@/shared/backups/backup.schema';
import type { DatabaseRecord } from '../databases/database.repo';
import { credentialsOf } from '../databases/database-credentials';
import { type RestoreRecord, restoreRepo } from './backup.repo';
import type { BackupDeps } from './backup-deps';
import { compareCounts } from './drill-report';
import { downloadVerified } from './verified-download';

type Say = (message: string, level?: 'info' | 'warn' | 'error') => Promise<unknown>;

/** The verified backup: as stored (`archive`), or decompressed and decrypted (`dump`). */
type BackupSource = { archive: () => Readable; dump: () => Readable };

/** The database a restore writes to, for serialising it with that database's backups. */
export async function restoreLockKey(restoreId: string): Promise<string> {
  const restore = await restoreRepo.findById(restoreId);
  if (restore?.mode === 'in_place' && restore.backup.databaseId) return restore.backup.databaseId;
  if (restore?.mode === 'new_database' && restore.targetDatabaseId) return restore.targetDatabaseId;
  return `restore:${restoreId}`;
}

/**
 * Restores one backup, logging each step as a restore event. The stored object is downloaded and
 * its size and SHA-256 checked before anything is written. `drill` restores into a scratch database
 * that is removed afterwards and compares row counts with those taken with the backup.
 */
export async function runRestore(deps: BackupDeps, restoreId: string, signal?: AbortSignal) {
  const restores = deps.repos.restores;
  const restore = await restores.findById(restoreId);
  if (!restore || restore.status === 'succeeded' || restore.status === 'failed')
    return { skipped: restoreId };
  const say: Say = (message, level = 'info') => restores.addEvent(restore.id, message, level);
  await restores.update(restore.id, { status: 'running', startedAt: deps.now() });
  const { backup } = restore;
  try {
    if (backup.status !== 'succeeded' || !backup.key || backup.sizeBytes === null || !backup.sha256) {
      throw new Error(`Backup ${backup.id} did not succeed; only succeeded backups can be restored.`);
    }
    await say(`Downloading ${backup.key} from destination '${backup.destination.name}'`);
    const download = await downloadVerified(deps.openStore(backup.destination), backup.key, {
      size: Number(backup.sizeBytes),
      sha256: backup.sha256,
    });
    try {
      await say(`Checksum verified: ${Number(backup.sizeBytes)} bytes, sha256 ${backup.sha256}`);
      const source: BackupSource = {
        archive: download.open,
        dump: () => unarchive(download.open(), backup.encrypted ? deps.archiveKey() : undefined),
      };
      const report = await restoreByMode(deps, restore, source, say, signal);
      if (report && !report.passed) {
        await restores.update(restore.id, { report });
        throw new Error('Drill failed: the restored copy does not have the rows the backup was taken with.');
      }
      // The last line before the status: followers stop once the status is final and no line is left.
      await say(restore.mode === 'drill' ? 'Drill passed: every table has its rows.' : 'Restore finished.');
      await restores.update(restore.id, {
        status: 'succeeded',
        report: report ?? undefined,
        finishedAt: deps.now(),
      });
      return { id: restore.id, status: 'succeeded' as const };
    } finally {
      await download.dispose();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await say(message, 'error');
    await restores.update(restore.id, { status: 'failed', error: message, finishedAt: deps.now() });
    const name = backup.project ? `${backup.project.name}/${backup.databaseName}` : 'Rise (platform)';
    await deps.notify({
      kind: restore.mode === 'drill' ? 'drill.failed' : 'restore.failed',
      projectId: backup.projectId,
      title: `${restore.mode === 'drill' ? 'Restore drill' : 'Restore'} of ${name} failed`,
      details: { restoreId: restore.id, backupId: backup.id, error: message },
    });
    return { id: restore.id, status: 'failed' as const, error: message };
  }
}

function unarchive(source: Readable, key: Buffer | undefined): Readable {
  const output = new PassThrough();
  pipeline(source, ...unarchiveStages({ key }), output).catch((error: Error) => output.destroy(error));
  return output;
}

const targetOf = (database: DatabaseRecord): DatabaseTarget & { volumeName: string } => ({
  engine: database.engine,
  host: database.host,
  credentials: credentialsOf(database),
  volumeName: database.volumeName,
});

async function restoreByMode(
  deps: BackupDeps,
  restore: RestoreRecord,
  { archive, dump }: BackupSource,
  say: Say,
  signal?: AbortSignal,
): Promise<DrillReport | null> {
  const { backup } = restore;
  const expected = (backup.tableCounts ?? []) as { table: string; rows: number }[];
  const log = (line: string) => void say(line);
  if (backup.engine === 'platform') {
    if (restore.mode !== 'drill') throw new Error('Rise’s own database is restored offline (see README).');
    await say('Restoring into a scratch database on Rise’s PostgreSQL server');
    const counts = await deps.platform.drill(archive(), {
      key: backup.encrypted ? deps.archiveKey() : undefined,
      scratchName: platformDrillScratchName(restore.id),
      signal,
    });
    return compareCounts(expected, counts);
  }
  const databases = deps.repos.databases;
  const source = backup.databaseId ? await databases.findById(backup.databaseId) : null;
  if (restore.mode === 'in_place') {
    if (!source)
      throw new Error('The database this backup was taken from was deleted; restore into a new one.');
    await databases.setStatus(source.id, 'restoring');
    try {
      await say(`Restoring into ${source.host}`);
      await deps.host.restore(targetOf(source), dumpAsChunks(dump), { signal, log });
      await databases.setStatus(source.id, 'running');
    } catch (error) {
      await databases.setStatus(source.id, 'running', `Last restore failed: ${(error as Error).message}`);
      throw error;
    }
    await logCounts(say, await deps.host.counts(targetOf(source)));
    return null;
  }
  if (restore.mode === 'new_database') {
    const target = restore.targetDatabaseId ? await databases.findById(restore.targetDatabaseId) : null;
    if (!target) throw new Error('The database to restore into was deleted.');
    if (target.status !== 'running') {
      await say(`Starting ${target.host}`);
      await deps.provisionDatabase(target.id, signal);
    }
    await say(`Restoring into ${target.host}`);
    await deps.host.restore(targetOf(target), dumpAsChunks(dump), { signal, log });
    await logCounts(say, await deps.host.counts(targetOf(target)));
    return null;
  }
  if (!source)
    throw new Error('The database this backup was taken from was deleted; restore into a new one.');
  const scratch = `rise-drill-${restore.id.slice(-12)}`;
  const spec = { ...targetOf(source), host: scratch, volumeName: `${scratch}-data` };
  await say(`Starting scratch database ${scratch} (${source.image})`);
  try {
    await deps.host.provision(
      {
        ...spec,
        image: source.image,
        project: null,
        cpuLimit: source.cpuLimit,
        memoryLimitMb: source.memoryLimitMb,
        labels: { 'dev.rise.drill': restore.id },
      },
      { signal, log },
    );
    await say(`Restoring into ${scratch}`);
    await deps.host.restore(spec, dumpAsChunks(dump), { signal, log });
    const counts = await deps.host.counts(spec);
    await logCounts(say, counts);
    return compareCounts(expected, counts);
  } finally {
    await deps.host.remove(scratch, { removeVolume: true, volumeName: spec.volumeName });
    await say(`Removed scratch database ${scratch}`);
  }
}

/** A PostgreSQL database name for a platform drill's scratch copy. */
export const platformDrillScratchName = (restoreId: string) =>
  `rise_drill_${restoreId
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(-16)}`;

async function* dumpAsChunks(dump: () => Readable): AsyncIterable<Buffer> {
  for await (const chunk of dump()) yield chunk as Buffer;
}

async function logCounts(say: Say, counts: { table: string; rows: number }[]) {
  const summary = counts.map((count) => `${count.table}=${count.rows}`).join(', ');
  await say(`Rows now: ${summary || '(no tables)'}`);
}
