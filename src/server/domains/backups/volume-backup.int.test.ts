import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirectoryStore } from '@/server/backups/storage/local-directory-store';
import { labelKeys } from '@/server/docker/labels';
import { DockerVolumeArchiver } from '@/server/runtime/docker/volume-archiver';
import { buildBusyboxBaseImage } from '../../../../test/busybox-base-image';
import {
  drillVolumeBackup,
  manifestKeyOf,
  restoreVolumeBackup,
  takeVolumeBackup,
  type VolumeBackup,
} from './volume-backup';

// Volume backups end to end on the real Docker engine (helper containers from a locally built busybox
// image) and a local-directory destination: encrypted archive plus checksum manifest, a drill into a
// scratch volume that matches the manifest, a restore into the live volume, a tampered archive refused.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const label = { 'rise.test': runId };
const volume = `rise-test-vbk-${runId}`;
const root = mkdtempSync(path.join(tmpdir(), 'rise-volume-backups-'));
const store = new LocalDirectoryStore(root);
const archiveKey = randomBytes(32);
let archiver: DockerVolumeArchiver;
let busybox: string;
const scratches: string[] = [];

async function run(script: string, target = volume): Promise<string> {
  const container = await docker.createContainer({
    Image: busybox,
    Cmd: ['sh', '-c', script],
    Labels: label,
    HostConfig: { Mounts: [{ Type: 'volume', Source: target, Target: '/v' }] },
  });
  await container.start();
  expect((await container.wait()).StatusCode).toBe(0);
  const logs = (await container.logs({ stdout: true, follow: false })) as Buffer;
  await container.remove();
  // Frames of a container without TTY: 8-byte headers before each chunk.
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= logs.length; ) {
    const size = logs.readUInt32BE(at + 4);
    out.push(logs.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(out).toString().trim();
}

const scratch = async () => {
  const name = `rise-test-vbk-scratch-${runId}-${scratches.length}`;
  scratches.push(name);
  await docker.createVolume({ Name: name, Labels: label });
  return { volume: name, remove: () => docker.getVolume(name).remove() };
};

beforeAll(async () => {
  busybox = await buildBusyboxBaseImage(docker);
  archiver = new DockerVolumeArchiver(docker, labelKeys('dev.rise', `test-${runId}`), busybox, label);
  await docker.createVolume({ Name: volume, Labels: label });
  await run(
    'mkdir -p /v/uploads && echo "order 1" > /v/orders.csv && head -c 200000 /dev/urandom > /v/uploads/a.bin',
  );
}, 120_000);

afterAll(async () => {
  for (const name of [volume, ...scratches])
    await docker
      .getVolume(name)
      .remove()
      .catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('volume backups', () => {
  let backup: VolumeBackup;
  const stored = () => ({
    key: backup.archive.key,
    size: backup.archive.size,
    sha256: backup.archive.sha256,
  });

  it('stores an encrypted archive and its checksum manifest; a drill into a scratch volume matches it', {
    timeout: 120_000,
  }, async () => {
    backup = await takeVolumeBackup({
      archiver,
      store,
      volume,
      key: `volumes/shop/data/${runId}.tar.gz.enc`,
      archiveKey,
    });
    expect(backup.encrypted).toBe(true);
    expect(backup.files.map((file) => file.path)).toEqual(['orders.csv', 'uploads/a.bin']);
    // Encrypted: the stored bytes are not a tar nor gzip, and the file names are not readable in them.
    const bytes = readFileSync(path.join(root, backup.archive.key));
    expect(bytes.subarray(0, 7).toString()).toBe('RISEBK1');
    expect(bytes.includes(Buffer.from('orders.csv'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(root, manifestKeyOf(backup.archive.key)), 'utf8'));
    expect(manifest).toEqual({
      format: 'rise-volume-manifest/1',
      archive: backup.archive.key,
      files: backup.files,
    });

    const report = await drillVolumeBackup({ archiver, store, backup: stored(), archiveKey, scratch });
    expect(report).toEqual({ ok: true, files: 2, missing: [], extra: [], changed: [] });
    // The drill's scratch volume is gone; the live one is untouched.
    await expect(docker.getVolume(scratches[0]!).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await run('cat /v/orders.csv')).toBe('order 1');
  });

  it('restores into the live volume: changed files come back, files written since go', {
    timeout: 120_000,
  }, async () => {
    await run('echo "order 2" > /v/orders.csv && rm /v/uploads/a.bin && echo later > /v/new.txt');
    await restoreVolumeBackup({ archiver, store, backup: stored(), volume, archiveKey });
    expect(await archiver.checksums(volume)).toEqual(backup.files);
    expect(await run('cat /v/orders.csv; ls /v')).toBe('order 1\norders.csv\nuploads');
  });

  it('a drill with the wrong key or a changed archive fails before anything is restored', {
    timeout: 120_000,
  }, async () => {
    await expect(
      drillVolumeBackup({ archiver, store, backup: stored(), archiveKey: randomBytes(32), scratch }),
    ).rejects.toThrow(/authentication failed|wrong key|corrupt/i);
    // A restore with the wrong key fails before the live volume is emptied.
    await expect(
      restoreVolumeBackup({ archiver, store, backup: stored(), volume, archiveKey: randomBytes(32) }),
    ).rejects.toThrow(/authentication failed|wrong key|corrupt/i);
    expect(await archiver.checksums(volume)).toEqual(backup.files);
    const file = path.join(root, backup.archive.key);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(file, bytes);
    await expect(
      drillVolumeBackup({ archiver, store, backup: stored(), archiveKey, scratch }),
    ).rejects.toThrow(/does not match what was taken/);
    for (const name of scratches) {
      await expect(docker.getVolume(name).inspect()).rejects.toMatchObject({ statusCode: 404 });
    }
  });
});
