import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import type { TableCount } from '@/server/databases/types';
import type { DatabaseRecord } from '../databases/database.repo';
import { fakeBackupWorld } from './fake-backup-deps';
import { runBackup } from './run-backup';
import { runRestore } from './run-restore';

const savedKey = env.RISE_ENCRYPTION_KEY;
beforeAll(() => {
  env.RISE_ENCRYPTION_KEY = randomBytes(32).toString('base64');
});
afterAll(() => {
  env.RISE_ENCRYPTION_KEY = savedKey;
});

const TAKEN: TableCount[] = [
  { table: 'orders', rows: 3 },
  { table: 'users', rows: 2 },
];
const CHANGED: TableCount[] = [{ table: 'orders', rows: 99 }];

type World = ReturnType<typeof fakeBackupWorld>;

/** A succeeded backup of `database` holding TAKEN, after which the database changed to CHANGED. */
async function backupOf(
  world: World,
  database: DatabaseRecord | null,
  options: { encrypted?: boolean } = {},
) {
  const backup = world.addBackup(database, { encrypted: options.encrypted ?? false });
  const outcome = await runBackup(world.deps, backup.id);
  if (!('status' in outcome) || outcome.status !== 'succeeded')
    throw new Error(`backup failed: ${JSON.stringify(outcome)}`);
  if (database) world.host.volumes.set(database.volumeName, CHANGED);
  else world.platform.tables = CHANGED;
  return world.repos.backupRows.get(backup.id) as NonNullable<ReturnType<typeof world.repos.backupRows.get>>;
}

const dataOf = (world: World, database: DatabaseRecord) => world.host.volumes.get(database.volumeName);
const events = (world: World, restoreId: string) =>
  world.repos.events.filter((event) => event.restoreId === restoreId).map((event) => event.message);

describe('runRestore in place', () => {
  it('restores a running database to the backup, logging each step', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main, { encrypted: true });
    const restore = world.addRestore(backup, 'in_place');

    expect(await runRestore(world.deps, restore.id)).toEqual({ id: restore.id, status: 'succeeded' });

    expect(dataOf(world, main)).toEqual(TAKEN);
    expect(world.repos.databaseRows.get(main.id)).toMatchObject({ status: 'running', error: null });
    expect(world.repos.restoreRows.get(restore.id)).toMatchObject({ status: 'succeeded', error: null });
    expect(events(world, restore.id)).toEqual([
      `Downloading ${backup.key} from destination 'local'`,
      `Checksum verified: ${Number(backup.sizeBytes)} bytes, sha256 ${backup.sha256}`,
      `Restoring into ${main.host}`,
      `Restore into ${main.host} finished`,
      'Rows now: orders=3, users=2',
      'Restore finished.',
    ]);
    expect(world.notifications).toEqual([]);
  });

  it('refuses an archive whose checksum differs from the recorded one, before touching the database', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    const stored = world.store.objects.get(backup.key as string)?.bytes as Buffer;
    const tampered = Buffer.from(stored);
    const last = tampered.length - 1;
    tampered.writeUInt8(tampered.readUInt8(last) ^ 0xff, last);
    world.store.replace(backup.key as string, tampered);
    const restore = world.addRestore(backup, 'in_place');

    const outcome = await runRestore(world.deps, restore.id);

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/changed or corrupted/) });
    expect(world.host.calls.filter((call) => call.method === 'restore')).toEqual([]);
    expect(dataOf(world, main)).toEqual(CHANGED);
    expect(world.repos.databaseRows.get(main.id)?.status).toBe('running');
    expect(world.notifications).toMatchObject([
      { kind: 'restore.failed', projectId: 'project-1', title: 'Restore of shop/main failed' },
    ]);
  });

  it('fails when the stored archive is gone', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    await world.store.delete(backup.key as string);
    const restore = world.addRestore(backup, 'in_place');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('not found'),
    });
    expect(world.repos.restoreRows.get(restore.id)?.error).toContain('not found');
    expect(dataOf(world, main)).toEqual(CHANGED);
  });

  it('records a failed restore on the database, which keeps running, when the archive cannot be opened', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main, { encrypted: true });
    // The checksum matches what was stored, but the archive does not open with this key.
    world.deps.archiveKey = () => Buffer.alloc(32, 1);
    const restore = world.addRestore(backup, 'in_place');

    const outcome = await runRestore(world.deps, restore.id);

    expect(outcome).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('failed authentication'),
    });
    expect(world.repos.databaseRows.get(main.id)).toMatchObject({
      status: 'running',
      error: expect.stringMatching(/^Last restore failed: .*failed authentication/),
    });
  });

  it('restores nothing from a backup that did not succeed', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = world.addBackup(main, { status: 'failed' });
    const restore = world.addRestore(backup, 'in_place');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({
      error: `Backup ${backup.id} did not succeed; only succeeded backups can be restored.`,
    });
    expect(world.host.calls).toEqual([]);
  });

  it('asks for a new database when the backed-up one was deleted', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    world.repos.databaseRows.delete(main.id);
    const restore = world.addRestore(backup, 'in_place');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({
      error: 'The database this backup was taken from was deleted; restore into a new one.',
    });
  });

  it('skips a restore that is missing or already finished (a redelivered job)', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    const restore = world.addRestore(backup, 'in_place');
    world.repos.restoreRows.set(restore.id, { ...restore, status: 'succeeded' });

    expect(await runRestore(world.deps, 'restore-missing')).toEqual({ skipped: 'restore-missing' });
    expect(await runRestore(world.deps, restore.id)).toEqual({ skipped: restore.id });
    expect(dataOf(world, main)).toEqual(CHANGED);
  });
});

describe('runRestore into a new database', () => {
  it('starts the new database first, then restores into it; the source is untouched', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    const copy = world.addDatabase('copy', { status: 'provisioning' });
    const restore = world.addRestore(backup, 'new_database', copy);

    expect(await runRestore(world.deps, restore.id)).toMatchObject({ status: 'succeeded' });

    expect(world.provisioned).toEqual([copy.id]);
    expect(dataOf(world, copy)).toEqual(TAKEN);
    expect(dataOf(world, main)).toEqual(CHANGED);
    expect(events(world, restore.id)).toContain(`Starting ${copy.host}`);
  });

  it('fails when the new database was deleted meanwhile', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    const copy = world.addDatabase('copy', { status: 'provisioning' });
    const restore = world.addRestore(backup, 'new_database', copy);
    world.repos.databaseRows.delete(copy.id);

    expect(await runRestore(world.deps, restore.id)).toMatchObject({
      error: 'The database to restore into was deleted.',
    });
    expect(world.provisioned).toEqual([]);
  });
});

describe('runRestore drill', () => {
  it('restores into a scratch database without a network, compares the counts and removes it', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    const restore = world.addRestore(backup, 'drill');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({ status: 'succeeded' });

    const scratch = `rise-drill-${restore.id.slice(-12)}`;
    expect(world.host.calls.find((call) => call.method === 'provision')).toMatchObject({
      host: scratch,
      project: null,
    });
    expect(world.host.containers.has(scratch)).toBe(false);
    expect(world.host.volumes.has(`${scratch}-data`)).toBe(false);
    expect(world.repos.restoreRows.get(restore.id)?.report).toEqual({
      passed: true,
      tables: [
        { table: 'orders', expected: 3, restored: 3 },
        { table: 'users', expected: 2, restored: 2 },
      ],
    });
    expect(dataOf(world, main)).toEqual(CHANGED);
    expect(events(world, restore.id).at(-1)).toBe(`Drill passed: every table has its rows.`);
  });

  it('fails the drill, with its report, when the restored copy lacks rows; the scratch copy still goes', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    world.repos.backupRows.set(backup.id, { ...backup, tableCounts: [{ table: 'orders', rows: 4 }] });
    const restore = world.addRestore(backup, 'drill');

    const outcome = await runRestore(world.deps, restore.id);

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Drill failed/) });
    expect(world.repos.restoreRows.get(restore.id)?.report).toMatchObject({ passed: false });
    expect(world.host.containers.has(`rise-drill-${restore.id.slice(-12)}`)).toBe(false);
    expect(world.notifications).toMatchObject([
      { kind: 'drill.failed', title: 'Restore drill of shop/main failed' },
    ]);
  });

  it('removes the scratch database when the restore into it fails', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const backup = await backupOf(world, main);
    world.host.failures.restore = new Error('pg_restore: error: could not read input file');
    const restore = world.addRestore(backup, 'drill');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({
      error: 'pg_restore: error: could not read input file',
    });
    expect(world.host.calls.at(-1)).toMatchObject({ method: 'remove', removeVolume: true });
    expect(world.host.containers.has(`rise-drill-${restore.id.slice(-12)}`)).toBe(false);
  });

  it("drills Rise's own database into a scratch database and compares its counts", async () => {
    const world = fakeBackupWorld();
    world.platform.tables = TAKEN;
    const backup = await backupOf(world, null, { encrypted: true });
    const restore = world.addRestore(backup, 'drill');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({ status: 'succeeded' });

    expect(world.platform.drills).toEqual([`rise_drill_${restore.id.replace(/[^a-z0-9]/gi, '').slice(-16)}`]);
    expect(world.platform.tables).toEqual(CHANGED);
    expect(world.repos.restoreRows.get(restore.id)?.report).toMatchObject({ passed: true });
  });

  it("refuses to restore Rise's own database in place (that is done offline)", async () => {
    const world = fakeBackupWorld();
    world.platform.tables = TAKEN;
    const backup = await backupOf(world, null);
    const restore = world.addRestore(backup, 'in_place');

    expect(await runRestore(world.deps, restore.id)).toMatchObject({
      error: 'Rise’s own database is restored offline (see README).',
    });
    expect(world.platform.tables).toEqual(CHANGED);
    expect(world.notifications).toMatchObject([{ title: 'Restore of Rise (platform) failed' }]);
  });
});
