/**
 * Retention against the real database and a real local destination: a schedule's policy deletes its
 * own old backups (objects and rows) and nothing else — not another schedule's, not manual ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDirectoryStore } from '@/server/backups/storage/local-directory-store';
import { getDb } from '@/server/db';
import { backupDeps } from '@/server/jobs/backup-deps';
import { createUser, insertRunningDatabase, uniqueName } from '../../../../test/fixtures';
import type { BackupDeps } from './backup-deps';
import { applyRetention } from './run-backup';

const root = mkdtempSync(path.join(tmpdir(), 'rise-retention-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = new LocalDirectoryStore(root);
const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-22T12:00:00Z');

const deps: BackupDeps = { ...backupDeps(), openStore: () => store, now: () => now };

async function world() {
  const db = getDb();
  const owner = await createUser();
  const project = await db.project.create({ data: { name: uniqueName('ret'), ownerUserId: owner.id } });
  const database = await insertRunningDatabase(project);
  const destination = await db.backupDestination.create({
    data: { projectId: project.id, name: 'local', kind: 'local', config: { path: '' } },
  });
  const schedule = (keepLast: number | null, maxAgeDays: number | null) =>
    db.backupSchedule.create({
      data: {
        databaseId: database.id,
        destinationId: destination.id,
        cron: '0 3 * * *',
        keepLast,
        maxAgeDays,
      },
    });
  /** A stored backup taken `daysAgo` days before `now`. */
  const backup = async (
    scheduleId: string | null,
    daysAgo: number,
    status: 'succeeded' | 'failed' = 'succeeded',
  ) => {
    const key = `ret/${uniqueName('b')}.pgdump.gz`;
    const stored = status === 'succeeded' ? await store.put(key, Readable.from([Buffer.from(key)])) : null;
    return db.backup.create({
      data: {
        databaseId: database.id,
        scheduleId,
        destinationId: destination.id,
        engine: 'postgres',
        status,
        key: stored?.key ?? null,
        sizeBytes: stored ? BigInt(stored.size) : null,
        sha256: stored?.sha256 ?? null,
        createdAt: new Date(now.getTime() - daysAgo * DAY),
      },
    });
  };
  return { schedule, backup };
}

const remainingIds = async (ids: string[]) =>
  (await getDb().backup.findMany({ where: { id: { in: ids } }, select: { id: true } }))
    .map((b) => b.id)
    .sort();

const stored = async (key: string | null) => (await store.list('ret/')).some((object) => object.key === key);

describe('retention', () => {
  it("deletes only the schedule's own backups beyond keepLast, objects and rows", async () => {
    const { schedule, backup } = await world();
    const daily = await schedule(2, null);
    const weekly = await schedule(1, null);
    const mine = [
      await backup(daily.id, 4),
      await backup(daily.id, 3),
      await backup(daily.id, 2),
      await backup(daily.id, 1),
    ];
    const others = [await backup(weekly.id, 30), await backup(weekly.id, 20)];
    const manual = [await backup(null, 40)];
    const all = [...mine, ...others, ...manual].map((b) => b.id);

    const deleted = await applyRetention(deps, daily.id);

    expect(deleted).toEqual([mine[0]?.id, mine[1]?.id]);
    expect(await remainingIds(all)).toEqual(
      [mine[2], mine[3], ...others, ...manual].map((b) => b?.id).sort(),
    );
    expect(await stored(mine[0]?.key ?? null)).toBe(false);
    expect(await stored(mine[1]?.key ?? null)).toBe(false);
    for (const kept of [mine[2], mine[3], ...others, ...manual])
      expect(await stored(kept?.key ?? null)).toBe(true);
  });

  it('deletes by age but never the newest succeeded backup, and drops failed rows', async () => {
    const { schedule, backup } = await world();
    const monthly = await schedule(null, 7);
    const old = await backup(monthly.id, 30);
    const older = await backup(monthly.id, 31);
    const failed = await backup(monthly.id, 10, 'failed');
    const recentFailure = await backup(monthly.id, 1, 'failed');

    const deleted = await applyRetention(deps, monthly.id);

    // `old` is the newest succeeded one: kept although past the age limit.
    expect(deleted.sort()).toEqual([older.id, failed.id].sort());
    expect(await remainingIds([old.id, older.id, failed.id, recentFailure.id])).toEqual(
      [old.id, recentFailure.id].sort(),
    );
    expect(await stored(old.key)).toBe(true);
  });

  it('keeps a row whose object cannot be deleted, to retry next time', async () => {
    const { schedule, backup } = await world();
    const daily = await schedule(1, null);
    const first = await backup(daily.id, 2);
    await backup(daily.id, 1);
    const failingStore = Object.assign(Object.create(store), {
      delete: async () => {
        throw new Error('destination unreachable');
      },
    });
    const deleted = await applyRetention({ ...deps, openStore: () => failingStore }, daily.id);
    expect(deleted).toEqual([]);
    expect(await remainingIds([first.id])).toEqual([first.id]);
  });
});
