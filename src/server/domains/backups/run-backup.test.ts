import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { ARCHIVE_KEY, fakeBackupWorld, readArchive } from './fake-backup-deps';
import { applyRetention, runBackup } from './run-backup';

const savedKey = env.RISE_ENCRYPTION_KEY;
beforeAll(() => {
  env.RISE_ENCRYPTION_KEY = randomBytes(32).toString('base64');
});
afterAll(() => {
  env.RISE_ENCRYPTION_KEY = savedKey;
});

const TABLES = [
  { table: 'orders', rows: 3 },
  { table: 'users', rows: 2 },
];
const DAY = 24 * 60 * 60 * 1000;

async function storedTables(world: ReturnType<typeof fakeBackupWorld>, key: string, archiveKey?: Buffer) {
  return readArchive(await world.store.get(key), archiveKey);
}

describe('runBackup', () => {
  it('dumps, archives and stores a database, and records the verified object and its row counts', async () => {
    const world = fakeBackupWorld({ start: new Date('2026-11-22T03:00:00Z') });
    const shop = world.addDatabase('main', { tables: TABLES });
    const backup = world.addBackup(shop, { id: 'backup-1' });

    expect(await runBackup(world.deps, backup.id)).toEqual({ id: 'backup-1', status: 'succeeded' });

    const row = world.repos.backupRows.get(backup.id);
    expect(row?.status).toBe('succeeded');
    expect(row?.key).toBe('databases/main-db-main/20261122T030000Z-backup-1.pgdump.gz');
    const stored = (await world.store.list('databases/'))[0];
    expect(row?.sha256).toBe(stored?.sha256);
    expect(row?.sizeBytes).toBe(BigInt(stored?.size ?? -1));
    expect(row?.tableCounts).toEqual(TABLES);
    expect(row?.startedAt).toEqual(new Date('2026-11-22T03:00:00Z'));
    expect(row?.durationMs).toBe(1000);
    expect(await storedTables(world, row?.key as string)).toEqual(TABLES);
    expect(world.notifications).toEqual([]);
  });

  it('encrypts the archive when the backup asks for it', async () => {
    const world = fakeBackupWorld();
    const shop = world.addDatabase('main', { tables: TABLES });
    const backup = world.addBackup(shop, { encrypted: true });

    await runBackup(world.deps, backup.id);

    const key = world.repos.backupRows.get(backup.id)?.key as string;
    expect(key).toMatch(/\.pgdump\.gz\.enc$/);
    expect(await storedTables(world, key, ARCHIVE_KEY)).toEqual(TABLES);
    await expect(storedTables(world, key)).rejects.toThrow(/encrypted; a decryption key is required/);
  });

  it("backs up Rise's own database with the counts of the dump's snapshot", async () => {
    const world = fakeBackupWorld();
    world.platform.tables = [{ table: 'projects', rows: 4 }];
    const backup = world.addBackup(null, { encrypted: true });

    await runBackup(world.deps, backup.id);

    const row = world.repos.backupRows.get(backup.id);
    expect(row?.status).toBe('succeeded');
    expect(row?.key).toMatch(/^platform\/\d{8}T\d{6}Z-backup-[\w-]+\.pgdump\.gz\.enc$/);
    expect(row?.tableCounts).toEqual([{ table: 'projects', rows: 4 }]);
    expect(await storedTables(world, row?.key as string, ARCHIVE_KEY)).toEqual([
      { table: 'projects', rows: 4 },
    ]);
  });

  it('marks the backup failed and raises backup.failed when the dump fails, storing nothing', async () => {
    const world = fakeBackupWorld();
    const shop = world.addDatabase('main', { tables: TABLES });
    const backup = world.addBackup(shop);
    world.host.failures.dump = new Error('pg_dump: error: connection lost');

    const outcome = await runBackup(world.deps, backup.id);

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringContaining('connection lost') });
    const row = world.repos.backupRows.get(backup.id);
    expect(row).toMatchObject({ status: 'failed', key: null, sha256: null, durationMs: 1000 });
    expect(row?.error).toContain('connection lost');
    expect(world.store.objects.size).toBe(0);
    expect(world.notifications).toEqual([
      {
        kind: 'backup.failed',
        projectId: 'project-1',
        title: 'Backup of shop/main failed',
        details: { backupId: backup.id, database: 'main', error: row?.error },
      },
    ]);
  });

  it('marks the backup failed when the upload to the destination fails', async () => {
    const world = fakeBackupWorld();
    const shop = world.addDatabase('main', { tables: TABLES });
    const backup = world.addBackup(shop);
    world.store.failures.put = new Error('destination unreachable');

    const outcome = await runBackup(world.deps, backup.id);

    expect(outcome).toEqual({ id: backup.id, status: 'failed', error: 'destination unreachable' });
    expect(world.repos.backupRows.get(backup.id)?.status).toBe('failed');
    expect(world.notifications.map((n) => n.kind)).toEqual(['backup.failed']);
  });

  it('fails a backup whose database was deleted, and one whose container is not running', async () => {
    const world = fakeBackupWorld();
    // Deleting a database keeps its backups with databaseId null.
    const gone = world.addBackup(null, { engine: 'postgres', databaseName: 'old' });
    const stopped = world.addDatabase('stopped', { tables: TABLES });
    world.host.containers.get(stopped.host)!.running = false;
    const ofStopped = world.addBackup(stopped);

    expect(await runBackup(world.deps, gone.id)).toMatchObject({ error: 'The database was deleted.' });
    expect(await runBackup(world.deps, ofStopped.id)).toMatchObject({
      error: `database container ${stopped.host} is not running`,
    });
    expect(world.notifications.map((n) => n.kind)).toEqual(['backup.failed', 'backup.failed']);
    expect(world.notifications[1]?.title).toBe('Backup of shop/stopped failed');
  });

  it('skips a backup that is missing or already finished (a redelivered job)', async () => {
    const world = fakeBackupWorld();
    const shop = world.addDatabase('main', { tables: TABLES });
    const done = world.addBackup(shop, { status: 'succeeded', key: 'kept' });

    expect(await runBackup(world.deps, 'backup-missing')).toEqual({ skipped: 'backup-missing' });
    expect(await runBackup(world.deps, done.id)).toEqual({ skipped: done.id });
    expect(world.host.calls).toEqual([]);
    expect(world.repos.backupRows.get(done.id)?.key).toBe('kept');
  });

  it("applies the schedule's retention after a scheduled backup, failed or not", async () => {
    const world = fakeBackupWorld({ start: new Date('2026-11-22T03:00:00Z') });
    const shop = world.addDatabase('main', { tables: TABLES });
    const schedule = world.addSchedule({ keepLast: 2 });
    const older = world.addBackup(shop, { scheduleId: schedule.id, createdAt: new Date('2026-11-20') });
    const old = world.addBackup(shop, { scheduleId: schedule.id, createdAt: new Date('2026-11-21') });
    for (const row of [older, old]) {
      const stored = await world.store.put(`databases/${row.id}`, Readable.from([Buffer.from(row.id)]));
      world.repos.backupRows.set(row.id, { ...row, status: 'succeeded', key: stored.key });
    }
    const manual = world.addBackup(shop, { status: 'succeeded', createdAt: new Date('2026-11-01') });
    const now = world.addBackup(shop, { scheduleId: schedule.id, createdAt: new Date('2026-11-22') });
    world.store.failures.put = new Error('disk full');

    await runBackup(world.deps, now.id);

    // keepLast 2 counts the failed backup; the newest succeeded one (`old`) is always kept.
    expect([...world.repos.backupRows.keys()].sort()).toEqual([manual.id, now.id, old.id].sort());
    expect([...world.store.objects.keys()]).toEqual([`databases/${old.id}`]);
  });
});

describe('applyRetention', () => {
  it('deletes what is older than the age limit, object first, then the row', async () => {
    const world = fakeBackupWorld({ start: new Date('2026-11-22T12:00:00Z') });
    const shop = world.addDatabase('main');
    const schedule = world.addSchedule({ maxAgeDays: 7 });
    const backupOf = async (daysAgo: number) => {
      const createdAt = new Date(Date.parse('2026-11-22T12:00:00Z') - daysAgo * DAY);
      const key = `databases/main/${daysAgo}`;
      await world.store.put(key, Readable.from([Buffer.from(key)]));
      return world.addBackup(shop, { scheduleId: schedule.id, status: 'succeeded', key, createdAt });
    };
    const recent = await backupOf(1);
    const stale = await backupOf(8);
    const staler = await backupOf(30);

    expect((await applyRetention(world.deps, schedule.id)).sort()).toEqual([stale.id, staler.id].sort());
    expect([...world.repos.backupRows.keys()]).toEqual([recent.id]);
    expect([...world.store.objects.keys()]).toEqual(['databases/main/1']);
  });

  it('keeps a row whose object cannot be deleted, for the next run', async () => {
    const world = fakeBackupWorld();
    const shop = world.addDatabase('main');
    const schedule = world.addSchedule({ keepLast: 1 });
    const first = world.addBackup(shop, {
      scheduleId: schedule.id,
      status: 'failed',
      key: 'a',
      createdAt: new Date(1),
    });
    world.addBackup(shop, { scheduleId: schedule.id, status: 'succeeded', key: 'b', createdAt: new Date(2) });
    world.store.failures.delete = new Error('destination unreachable');

    expect(await applyRetention(world.deps, schedule.id)).toEqual([]);
    expect(world.repos.backupRows.has(first.id)).toBe(true);
  });

  it('does nothing for a schedule that was deleted', async () => {
    const world = fakeBackupWorld();
    const shop = world.addDatabase('main');
    world.addBackup(shop, { scheduleId: 'schedule-gone', status: 'succeeded', createdAt: new Date(1) });
    world.addBackup(shop, { scheduleId: 'schedule-gone', status: 'succeeded', createdAt: new Date(2) });

    expect(await applyRetention(world.deps, 'schedule-gone')).toEqual([]);
    expect(world.repos.backupRows.size).toBe(2);
  });
});
