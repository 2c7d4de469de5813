import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { dockerDiskUsage } from '@/server/docker/disk-engine';
import { apiAs, createUser, userCaller } from '../../../../test/fixtures';
import { checkDiskAlert } from './disk-alert.service';
import { diskHygieneRepo } from './disk-hygiene.repo';
import { measureDiskUsage, type Thresholds } from './disk-usage';

const docker = new Dockerode();
let dataDir: string;
const KIB = 1024;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'rise-disk-usage-'));
  for (const [dir, kib] of [
    ['postgres', 300],
    ['registry', 200],
    ['backups', 100],
  ] as const) {
    mkdirSync(join(dataDir, dir, 'nested'), { recursive: true });
    writeFileSync(join(dataDir, dir, 'nested', 'file'), Buffer.alloc(kib * KIB, 1));
  }
  writeFileSync(join(dataDir, 'secrets.json'), '{}');
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const measure = (thresholds: Thresholds) =>
  measureDiskUsage({
    dataDir,
    engineDiskUsage: dockerDiskUsage(docker),
    thresholds,
    registryHost: '127.0.0.1:5000',
  });

const raisedForThisDir = () =>
  getDb().notificationEvent.count({
    where: { kind: 'disk.low', details: { path: ['path'], equals: dataDir } },
  });

describe('disk usage', () => {
  it("sizes each data directory, the filesystem's free space and Docker's images and volumes", async () => {
    const usage = await measure({ warningPercent: 80, criticalPercent: 90 });
    expect(usage.dataDirs.map((dir) => dir.name)).toEqual(['backups', 'postgres', 'registry']);
    const size = (name: string) => usage.dataDirs.find((dir) => dir.name === name)?.bytes ?? 0;
    // Allocated blocks: at least the file, at most the file plus the directories' and one spare block each.
    expect(size('postgres')).toBeGreaterThanOrEqual(300 * KIB);
    expect(size('postgres')).toBeLessThan(300 * KIB + 64 * KIB);
    expect(size('registry')).toBeGreaterThanOrEqual(200 * KIB);
    expect(size('backups')).toBeLessThan(size('registry'));
    expect(usage.filesystem.totalBytes).toBeGreaterThan(usage.filesystem.freeBytes);
    expect(usage.filesystem.usedPercent).toBeGreaterThan(0);
    expect(usage.dockerError).toBeNull();
    const df = await docker.df();
    expect(usage.docker?.images.count).toBe(df.Images.length);
    expect(usage.docker?.volumes.count).toBe((df.Volumes ?? []).length);
    expect(usage.docker?.images.bytes).toBeGreaterThan(0);
  });

  it('is on the Admin page for platform admins (admin.disk)', async () => {
    const admin = apiAs(userCaller(await createUser({ admin: true })));
    const usage = await admin.admin.disk();
    expect(usage.filesystem.totalBytes).toBeGreaterThan(0);
    expect(usage.docker?.images.count).toBeGreaterThan(0);
    const other = apiAs(userCaller(await createUser()));
    await expect(other.admin.disk()).rejects.toThrow();
  });

  it('raises disk.low once per crossing of a threshold, again after it fell back', async () => {
    await diskHygieneRepo.setAlertLevel('data', 'ok');
    const used = (await measure({ warningPercent: 80, criticalPercent: 90 })).filesystem.usedPercent;
    const low = { warningPercent: Math.max(1, Math.floor(used) - 1), criticalPercent: 100 };
    const high = { warningPercent: 100, criticalPercent: 100 };

    const warning = await measure(low);
    expect(warning.filesystem.level).toBe('warning');
    expect(await checkDiskAlert(warning)).toBe(true);
    expect(await checkDiskAlert(await measure(low))).toBe(false);
    expect(await raisedForThisDir()).toBe(1);

    const critical = await measure({ warningPercent: 1, criticalPercent: low.warningPercent });
    expect(critical.filesystem.level).toBe('critical');
    expect(await checkDiskAlert(critical)).toBe(true);
    expect(await raisedForThisDir()).toBe(2);
    const event = await getDb().notificationEvent.findFirstOrThrow({
      where: { kind: 'disk.low', details: { path: ['path'], equals: dataDir } },
      orderBy: { createdAt: 'desc' },
    });
    expect(event.projectId).toBeNull();
    expect(event.title).toMatch(/^Disk critical: [\d.]+% of .* used \(threshold \d+%\), [\d.]+ GiB free$/);
    expect(event.details).toMatchObject({ level: 'critical', thresholdPercent: low.warningPercent });

    expect(await checkDiskAlert(await measure(high))).toBe(false);
    expect(await diskHygieneRepo.alertLevel('data')).toBe('ok');
    expect(await checkDiskAlert(await measure(low))).toBe(true);
    expect(await raisedForThisDir()).toBe(3);
  });
});
