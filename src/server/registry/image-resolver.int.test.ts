import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { OutboundGuard } from '@/server/security/outbound-guard';
import { parseImageReference } from '@/shared/registry/image-reference';
import { buildTestAppImage as build, imageForProject } from '../../../test/images';
import { startRegistry, type TestRegistry } from '../../../test/registry';
import { createImageResolver } from './image-resolver';
import { fetchManifestDigest, type RegistryFetch } from './registry-digest';

const docker = new Dockerode();
let registry: TestRegistry;
let reference: string;
let pushedDigest: string;
let guard: OutboundGuard;
let guardedFetch: RegistryFetch;
const project = { id: 'p-resolver', name: 'resolver-test' };

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
  const local = await build({ tag: 'rise-test-app:v1', version: 'v1' });
  reference = `${registry.host}/rise-test/app:v1`;
  await docker.getImage(local).tag({ repo: `${registry.host}/rise-test/app`, tag: 'v1' });
  pushedDigest = await push(reference);
  // The test registry listens on loopback, which the outbound guard refuses unless allowed.
  guard = new OutboundGuard({ allow: [registry.host], ownHosts: [] });
  guardedFetch = (url, init) => guard.fetch(url, init) as never;
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
    expect(await fetchManifestDigest(parseImageReference(reference), { fetch: guardedFetch })).toBe(
      pushedDigest,
    );
  });

  it('names a missing tag clearly', async () => {
    await expect(
      fetchManifestDigest(parseImageReference(`${registry.host}/rise-test/app:nope`), {
        fetch: guardedFetch,
      }),
    ).rejects.toThrow(/not found in its registry/);
  });

  it('refuses a registry on loopback unless the guard allows it', async () => {
    const strict = new OutboundGuard({ allow: [], ownHosts: [] });
    await expect(
      fetchManifestDigest(parseImageReference(reference), {
        fetch: (url, init) => strict.fetch(url, init) as never,
      }),
    ).rejects.toThrow(/Rise refused to connect to 127\.0\.0\.1:\d+: it is a loopback address/);
    await expect(
      createImageResolver({ docker, guard: () => strict, logins: projectRegistryLogins }).resolve(
        reference,
        project,
      ),
    ).rejects.toThrow(/RISE_OUTBOUND_ALLOW=127\.0\.0\.1:\d+/);
  });

  it('pins registry images as repository@digest, local-only images by their image id', async () => {
    const resolver = createImageResolver({ docker, guard: () => guard, logins: projectRegistryLogins });
    const remote = await resolver.resolve(reference, project);
    expect(remote.digest).toBe(pushedDigest);
    expect(await resolver.pinned(reference, remote.digest, project)).toBe(
      `${registry.host}/rise-test/app@${pushedDigest}`,
    );

    const labelled = await imageForProject('rise-test-app:v1', project.name, docker);
    const local = await resolver.resolve(labelled, project);
    const id = (await docker.getImage(labelled).inspect()).Id;
    expect(local.digest).toBe(id);
    expect(await resolver.pinned(labelled, local.digest, project)).toBe(id);
  });

  it('refuses local images not labelled for the project', async () => {
    const resolver = createImageResolver({ docker, guard: () => guard, logins: projectRegistryLogins });
    const id = (await docker.getImage('rise-test-app:v1').inspect()).Id;
    await expect(resolver.resolve('rise-test-app:v1', project)).rejects.toThrow(
      /has no dev\.rise\.project label/,
    );
    await expect(resolver.resolve(id, project)).rejects.toThrow(/has no dev\.rise\.project label/);
    await expect(resolver.pinned('anything', id, project)).rejects.toThrow(/has no dev\.rise\.project label/);
    const other = await imageForProject('rise-test-app:v1', 'someone-else', docker);
    await expect(resolver.resolve(other, project)).rejects.toThrow(/was built for another project/);
  });

  it('keeps a reference that is already pinned', async () => {
    const resolver = createImageResolver({ docker, guard: () => guard, logins: projectRegistryLogins });
    expect(await resolver.resolve(`${registry.host}/rise-test/app@${pushedDigest}`, project)).toEqual({
      digest: pushedDigest,
    });
  });
});
