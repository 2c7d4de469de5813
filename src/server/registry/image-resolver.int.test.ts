import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestAppImage } from '../../../test/images';
import { startRegistry, type TestRegistry } from '../../../test/registry';
import { parseImageReference } from './image-reference';
import { createImageResolver } from './image-resolver';
import { fetchManifestDigest } from './registry-digest';

const docker = new Dockerode();
let registry: TestRegistry;
let reference: string;
let pushedDigest: string;

/** Pushes through the local Docker engine (127.0.0.0/8 registries are plain HTTP for dockerd). */
async function push(image: string): Promise<string> {
  // The engine wants an X-Registry-Auth header even for a registry without auth.
  const stream = await docker.getImage(image).push({ authconfig: { serveraddress: image.split('/')[0] } });
  const events: { aux?: { Digest?: string }; error?: string }[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, output: typeof events) =>
      error ? reject(error) : resolve(output),
    ),
  );
  const failure = events.find((event) => event.error);
  if (failure) throw new Error(failure.error);
  const digest = events.find((event) => event.aux?.Digest)?.aux?.Digest;
  if (!digest) throw new Error('the push reported no digest');
  return digest;
}

beforeAll(async () => {
  registry = await startRegistry();
  const local = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  reference = `${registry.host}/rise-test/app:v1`;
  await docker.getImage(local).tag({ repo: `${registry.host}/rise-test/app`, tag: 'v1' });
  pushedDigest = await push(reference);
}, 120_000);

afterAll(async () => {
  await docker
    .getImage(reference)
    .remove()
    .catch(() => undefined);
  await registry?.stop();
});

describe('pinning image references to digests', () => {
  it('reads the manifest digest from the registry HTTP API, equal to what the push reported', async () => {
    expect(await fetchManifestDigest(parseImageReference(reference))).toBe(pushedDigest);
  });

  it('names a missing tag clearly', async () => {
    await expect(
      fetchManifestDigest(parseImageReference(`${registry.host}/rise-test/app:nope`)),
    ).rejects.toThrow(/not found in its registry/);
  });

  it('pins registry images as repository@digest, local-only images by their image id', async () => {
    const resolver = createImageResolver(docker);
    const remote = await resolver.resolve(reference);
    expect(remote.digest).toBe(pushedDigest);
    expect(await resolver.pinned(reference, remote.digest)).toBe(
      `${registry.host}/rise-test/app@${pushedDigest}`,
    );

    const local = await resolver.resolve('rise-test-app:v1');
    const id = (await docker.getImage('rise-test-app:v1').inspect()).Id;
    expect(local.digest).toBe(id);
    expect(await resolver.pinned('rise-test-app:v1', local.digest)).toBe(id);
  });

  it('keeps a reference that is already pinned', async () => {
    const resolver = createImageResolver(docker);
    expect(await resolver.resolve(`${registry.host}/rise-test/app@${pushedDigest}`)).toEqual({
      digest: pushedDigest,
    });
  });
});
