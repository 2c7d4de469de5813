import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerBuild } from '../../../test/build-images';
import { buildBusyboxBaseImage } from '../../../test/busybox-base-image';
import { startRegistry, type TestRegistry } from '../../../test/registry';
import { garbageCollectRegistryInContainer } from './registry-gc';

// The compose stack's registry keeps its storage in a volume only its own container mounts, so the
// worker garbage-collects through `docker exec`. Here a real registry (Debian's docker-registry) serves
// on the host, and a container that mounts its storage and its binary stands in for the registry's
// container: the GC runs inside it through the Docker API, over the storage the registry serves.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const run = promisify(execFile);
const label = { 'rise.test': `registry-gc-${runId}` };
let registry: TestRegistry;
let storage: string;
let config: string;
let container: Dockerode.Container;
const context = mkdtempSync(join(tmpdir(), 'rise-test-gc-images-'));
const pushed: string[] = [];

async function pushDistinctImage(tag: string) {
  const file = join(context, `${tag}.txt`);
  writeFileSync(file, `${tag} ${randomBytes(256).toString('hex')}\n`);
  const local = `rise-test-gc-${runId}:${tag}`;
  await dockerBuild(
    docker,
    local,
    () => {},
    ['FROM scratch', `LABEL rise.test=registry-gc-${runId}`, 'COPY layer.txt /layer.txt'],
    {
      'layer.txt': file,
    },
  );
  const remote = `${registry.host}/gc-test:${tag}`;
  await run('docker', ['tag', local, remote]);
  await run('docker', ['push', remote]);
  pushed.push(local, remote);
  return remote;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

async function manifest(tag: string) {
  const response = await fetch(`http://${registry.host}/v2/gc-test/manifests/${tag}`, {
    headers: { accept: MANIFEST_TYPES },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { config: { digest: string }; layers: { digest: string }[] };
  return {
    digest: response.headers.get('docker-content-digest')!,
    blobs: [body.config.digest, ...body.layers.map((l) => l.digest)],
  };
}

const blobStatus = async (digest: string) =>
  (await fetch(`http://${registry.host}/v2/gc-test/blobs/${digest}`, { method: 'HEAD' })).status;

beforeAll(async () => {
  registry = await startRegistry();
  config = join(registry.root, 'config.yml');
  storage = join(registry.root, 'data');
  const { stdout: libs } = await run('ldd', ['/usr/bin/docker-registry']);
  const libraryDirs = [
    ...new Set(libs.split('\n').flatMap((entry) => /(\/\S+)\/[^/\s]+\s/.exec(entry.trim())?.[1] ?? [])),
  ];
  await buildBusyboxBaseImage(docker);
  container = await docker.createContainer({
    Image: 'rise-test/busybox-base:1',
    Cmd: ['sleep', '600'],
    Labels: label,
    HostConfig: {
      AutoRemove: false,
      Binds: [
        `${storage}:${storage}`,
        `${config}:/etc/docker/registry/config.yml:ro`,
        '/usr/bin/docker-registry:/bin/registry:ro',
        ...libraryDirs.map((dir) => `${dir}:${dir}:ro`),
      ],
    },
  });
  await container.start();
}, 120_000);

afterAll(async () => {
  await container?.remove({ force: true }).catch(() => undefined);
  for (const reference of pushed) await run('docker', ['rmi', '-f', reference]).catch(() => undefined);
  await registry?.stop();
  rmSync(context, { recursive: true, force: true });
}, 60_000);

describe('registry garbage collection inside the registry’s container', () => {
  it('deletes the blobs of a deleted manifest and keeps those of the others', async () => {
    await pushDistinctImage('kept');
    await pushDistinctImage('dropped');
    const kept = await manifest('kept');
    const dropped = await manifest('dropped');
    const deleted = await fetch(`http://${registry.host}/v2/gc-test/manifests/${dropped.digest}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(202);

    const result = await garbageCollectRegistryInContainer(docker, {
      container: container.id,
      binary: '/bin/registry',
      configFile: '/etc/docker/registry/config.yml',
    });
    // The dropped image's manifest, config and layer (stored as blobs); the kept image shares none.
    expect(result.blobsDeleted).toBe(3);
    expect(result.output).toContain(dropped.digest);
    for (const blob of dropped.blobs) expect(await blobStatus(blob), blob).toBe(404);
    for (const blob of kept.blobs) expect(await blobStatus(blob), blob).toBe(200);
  }, 180_000);

  it('fails with the command, its exit code and its output when the registry’s GC fails', async () => {
    await expect(
      garbageCollectRegistryInContainer(docker, {
        container: container.id,
        binary: '/bin/registry',
        configFile: '/etc/docker/registry/missing.yml',
      }),
    ).rejects.toThrow(
      /registry garbage-collect \/etc\/docker\/registry\/missing\.yml failed: exit code [1-9]\d*\n.*missing\.yml/s,
    );
  });
});
