import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { fakeBackupWorld } from './fake-backup-deps';
import { restorePlatformFromBackup } from './platform-restore';
import { runBackup } from './run-backup';

const savedKey = env.RISE_ENCRYPTION_KEY;
beforeAll(() => {
  env.RISE_ENCRYPTION_KEY = randomBytes(32).toString('base64');
});
afterAll(() => {
  env.RISE_ENCRYPTION_KEY = savedKey;
});

const TAKEN = [{ table: 'projects', rows: 4 }];
const LATER = [{ table: 'projects', rows: 9 }];

async function platformBackup(world: ReturnType<typeof fakeBackupWorld>) {
  world.platform.tables = TAKEN;
  const backup = world.addBackup(null, { encrypted: true });
  await runBackup(world.deps, backup.id);
  world.platform.tables = LATER;
  return world.repos.backupRows.get(backup.id) as NonNullable<ReturnType<typeof world.repos.backupRows.get>>;
}

describe('restorePlatformFromBackup', () => {
  it("replaces Rise's own database with a verified platform backup and reports its rows", async () => {
    const world = fakeBackupWorld();
    const backup = await platformBackup(world);
    const lines: string[] = [];

    expect(await restorePlatformFromBackup(world.deps, backup.id, (line) => lines.push(line))).toEqual(TAKEN);

    expect(world.platform.tables).toEqual(TAKEN);
    expect(lines.at(-1)).toBe('restored: 4 rows in 1 tables');
  });

  it('refuses a backup of a managed database, and one that did not succeed', async () => {
    const world = fakeBackupWorld();
    const main = world.addDatabase('main', { tables: TAKEN });
    const managed = world.addBackup(main, { status: 'succeeded', key: 'k', sha256: 'x', sizeBytes: 1n });
    const failed = world.addBackup(null, { status: 'failed' });

    await expect(restorePlatformFromBackup(world.deps, managed.id, () => {})).rejects.toThrow(
      `No platform backup with id ${managed.id}.`,
    );
    await expect(restorePlatformFromBackup(world.deps, failed.id, () => {})).rejects.toThrow(
      `Platform backup ${failed.id} is failed; only succeeded backups can be restored.`,
    );
  });

  it('leaves the database as it is when the stored archive does not match its checksum', async () => {
    const world = fakeBackupWorld();
    const backup = await platformBackup(world);
    world.store.replace(backup.key as string, Buffer.from('not the archive'));

    await expect(restorePlatformFromBackup(world.deps, backup.id, () => {})).rejects.toThrow(
      /changed or corrupted/,
    );
    expect(world.platform.tables).toEqual(LATER);
  });
});
