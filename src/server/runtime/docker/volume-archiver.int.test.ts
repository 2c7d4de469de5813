import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelKeys } from '@/server/docker/labels';
import { compareChecksums } from '@/server/domains/backups/volume-backup';
import { buildBusyboxBaseImage } from '../../../../test/busybox-base-image';
import { DockerVolumeArchiver } from './volume-archiver';

// Volume archives through a helper container, on the real Docker engine with a locally built busybox
// image: a tar of one volume restored into a scratch volume has the same files with the same SHA-256
// (a restore drill), and a restore replaces what was there.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const label = { 'rise.test': runId };
const keys = labelKeys('dev.rise', `test-${runId}`);
let archiver: DockerVolumeArchiver;
const source = `rise-test-vol-src-${runId}`;
const scratch = `rise-test-vol-scratch-${runId}`;

async function writeFiles(volume: string, script: string) {
  const container = await docker.createContainer({
    Image: await buildBusyboxBaseImage(docker),
    Cmd: ['sh', '-c', script],
    Labels: label,
    HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/v' }] },
  });
  await container.start();
  expect((await container.wait()).StatusCode).toBe(0);
  await container.remove();
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  archiver = new DockerVolumeArchiver(docker, keys, await buildBusyboxBaseImage(docker), label);
  for (const name of [source, scratch]) await docker.createVolume({ Name: name, Labels: label });
}, 120_000);

afterAll(async () => {
  for (const container of await docker.listContainers({
    all: true,
    filters: { label: [`rise.test=${runId}`] },
  }))
    await docker.getContainer(container.Id).remove({ force: true });
  for (const name of [source, scratch])
    await docker
      .getVolume(name)
      .remove()
      .catch(() => undefined);
});

describe('DockerVolumeArchiver', () => {
  it('archives a volume and a drill into a scratch volume matches its checksums', {
    timeout: 120_000,
  }, async () => {
    await writeFiles(
      source,
      [
        'echo hello > /v/a.txt',
        'mkdir -p /v/uploads/2026 && head -c 300000 /dev/urandom > /v/uploads/2026/photo.bin',
        'echo hidden > /v/.env',
        "echo 'spaced name' > '/v/with space.txt'",
      ].join(' && '),
    );
    const manifest = await archiver.checksums(source);
    expect(manifest.map((file) => file.path)).toEqual([
      '.env',
      'a.txt',
      'uploads/2026/photo.bin',
      'with space.txt',
    ]);
    expect(manifest.find((file) => file.path === 'a.txt')?.sha256).toBe(
      '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
    );

    const tar = await collect(archiver.archive(source));
    expect(tar.length).toBeGreaterThan(300_000);
    // The scratch volume has a file of its own: a restore replaces, it does not merge.
    await writeFiles(scratch, 'echo stale > /v/stale.txt && echo other > /v/a.txt');
    await archiver.restore(scratch, Readable.from([tar]));
    const restored = await archiver.checksums(scratch);
    expect(compareChecksums(manifest, restored)).toEqual({ missing: [], extra: [], changed: [] });
    expect(restored).toEqual(manifest);
  });

  it('a drill against a changed file names it', { timeout: 60_000 }, async () => {
    const manifest = await archiver.checksums(source);
    await writeFiles(scratch, 'echo tampered > /v/a.txt && rm /v/.env && echo new > /v/new.txt');
    expect(compareChecksums(manifest, await archiver.checksums(scratch))).toEqual({
      missing: ['.env'],
      extra: ['new.txt'],
      changed: ['a.txt'],
    });
  });

  it('leaves no helper container behind and refuses to archive a volume that does not exist', {
    timeout: 60_000,
  }, async () => {
    const missing = `rise-test-vol-missing-${runId}`;
    await expect(collect(archiver.archive(missing))).rejects.toThrow(
      `Docker volume ${missing} does not exist`,
    );
    await expect(docker.getVolume(missing).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const helpers = await docker.listContainers({ all: true, filters: { label: [`${keys.volume}.helper`] } });
    expect(helpers.filter((helper) => helper.Labels['rise.test'] === runId)).toEqual([]);
  });
});
