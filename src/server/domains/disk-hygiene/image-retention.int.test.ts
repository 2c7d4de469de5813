import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { dockerImageEngine } from '@/server/docker/disk-engine';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import type { EngineDeps } from '@/server/domains/deployments/engine-deps';
import { runDeployment } from '@/server/domains/deployments/run-deployment';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { withProjectLock } from '@/server/jobs/project-lock';
import { freePort } from '@/server/platform/free-port';
import { registryConfig } from '@/server/platform/local-registry';
import { createImageResolver } from '@/server/registry/image-resolver';
import { garbageCollectRegistry } from '@/server/registry/registry-gc';
import { registryManifests } from '@/server/registry/registry-manifests';
import { ensureRegistrySigningKey, type RegistrySigningKey } from '@/server/registry/signing-key';
import { type GrantedAction, signRegistryToken } from '@/server/registry/token-service';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../../test/fixtures';
import { getThroughProxy } from '../../../../test/http-through-proxy';
import { buildTestAppImage, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { runRegistryProcess, type TestRegistry } from '../../../../test/registry';
import { diskHygieneRepo } from './disk-hygiene.repo';
import { type ImageRetentionDeps, runImageRetention } from './image-retention.service';

// The real CNCF registry in token-auth mode (tokens signed with a key of this test, as Rise signs its
// own), the real Docker engine pushing and pulling through it, and `docker-registry garbage-collect`;
// rollbacks go through deployment.rollback and the deploy engine (in-process, as the worker runs it)
// to real Docker and Caddy.

// Set before env.ts is read: the refusal of a rollback names the retention setting.
vi.hoisted(() => {
  process.env.RISE_IMAGE_RETENTION = '3';
});

const SERVICE = 'rise-retention-test';
const ISSUER = 'rise-retention-test';
const docker = new Dockerode();
let key: RegistrySigningKey;
let tokenServer: Server;
let registry: TestRegistry;
let root: string;
let projectId: string;
let project: string;
const digests = new Map<number, string>();
/** Deployment id of deploy i (1…10). */
const deploymentIds = new Map<number, string>();
const containers: string[] = [];
const runId = randomBytes(4).toString('hex');
let caddy: TestCaddy;
let engine: EngineDeps;
let api: ReturnType<typeof apiAs>;

const sign = async (repository: string, actions: GrantedAction[]) =>
  (
    await signRegistryToken(
      { service: SERVICE, issuer: ISSUER, tokenTtlSeconds: 300, signingKey: async () => key },
      {
        subject: 'retention-test',
        access: [{ type: 'repository', name: repository, actions }],
        notAfter: null,
      },
    )
  ).token;

/** The realm the engine asks for tokens: grants whatever repository scope it asks (pull, push). */
function startTokenServer(port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, name, actions] = (url.searchParams.get('scope') ?? '').split(':');
    sign(name ?? '', (actions ?? '').split(',').filter(Boolean) as GrantedAction[]).then(
      (token) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ token }));
      },
      () => {
        response.statusCode = 500;
        response.end();
      },
    );
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function follow(
  stream: NodeJS.ReadableStream,
): Promise<{ aux?: { Digest?: string }; error?: string }[]> {
  const events: { aux?: { Digest?: string }; error?: string }[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, output: typeof events) =>
      error ? reject(error) : resolve(output),
    ),
  );
  const failure = events.find((event) => event.error);
  if (failure) throw new Error(failure.error);
  return events;
}

const ref = (i: number) => `${registry.host}/${project}:d${i}`;
const blobPath = (digest: string) =>
  join(root, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', digest.slice(7, 9), digest.slice(7));
const engineImagesOfProject = async () =>
  (await docker.listImages({ filters: { reference: [`${registry.host}/${project}`] } })).length;
const tags = () => manifests().tags(project);
const manifests = () => registryManifests({ baseUrl: `http://${registry.host}`, tokenFor: sign });

function deps(overrides: Partial<ImageRetentionDeps> = {}): ImageRetentionDeps {
  return {
    engine: dockerImageEngine(docker),
    keep: env.RISE_IMAGE_RETENTION,
    registryHost: registry.host,
    registry: manifests(),
    garbageCollect: () =>
      garbageCollectRegistry({
        binary: process.env.RISE_REGISTRY_BINARY ?? 'docker-registry',
        configFile: join(root, 'config.yml'),
      }),
    pushInProgress: async () => false,
    withProjectLock,
    projectIds: [projectId],
    ...overrides,
  };
}

const configDigest = async (digest: string) => {
  const response = await fetch(`http://${registry.host}/v2/${project}/manifests/${digest}`, {
    headers: {
      authorization: `Bearer ${await sign(project, ['pull'])}`,
      accept: 'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { config: { digest: string } }).config.digest;
};

beforeAll(async () => {
  key = await ensureRegistrySigningKey(mkdtempSync(join(tmpdir(), 'rise-retention-key-')));
  const tokenPort = await freePort();
  tokenServer = await startTokenServer(tokenPort);
  root = mkdtempSync(join(tmpdir(), 'rise-retention-registry-'));
  const port = await freePort();
  registry = await runRegistryProcess({
    root,
    port,
    name: 'retention registry',
    config: registryConfig({
      listen: `127.0.0.1:${port}`,
      storageDir: join(root, 'data'),
      logLevel: 'warn',
      tokenAuth: {
        realm: `http://127.0.0.1:${tokenPort}/token`,
        service: SERVICE,
        issuer: ISSUER,
        rootCertBundle: key.certificatePath,
      },
    }),
  });
  api = apiAs(userCaller(await createUser()));
  project = uniqueName('retention');
  await api.project.create({ name: project, port: TEST_APP_PORT, healthPath: '/health' });
  projectId = (await getDb().project.findUniqueOrThrow({ where: { name: project } })).id;

  // Ten deploys: each image built, pushed to Rise's registry and recorded as a deployment, the last active.
  for (let i = 1; i <= 10; i++) {
    await buildTestAppImage({ tag: ref(i), version: `${project}-v${i}`, docker });
    const events = await follow(
      await docker.getImage(ref(i)).push({ authconfig: { serveraddress: registry.host } }),
    );
    const digest = events.find((event) => event.aux?.Digest)?.aux?.Digest;
    if (!digest) throw new Error('the push reported no digest');
    digests.set(i, digest);
    const id = newDeploymentId();
    deploymentIds.set(i, id);
    await getDb().deployment.create({
      data: {
        id,
        projectId,
        status: i === 10 ? 'healthy' : 'superseded',
        image: ref(i),
        imageDigest: digest,
        createdAt: new Date(Date.now() - (11 - i) * 60_000),
        healthyAt: new Date(Date.now() - (11 - i) * 60_000 + 5_000),
        finishedAt: i === 10 ? null : new Date(),
      },
    });
    if (i === 10)
      await getDb().project.update({
        where: { id: projectId },
        data: { activeDeploymentId: id, desiredState: 'running' },
      });
  }

  caddy = await startCaddy();
  const { first } = await claimPortBlock();
  engine = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, `rise-test-${runId}`),
    caddy,
    portRange: [first, first + 99],
    settings: { settleMs: 200 },
  });
  // This test's registry stands for Rise's: the engine pulls the project's images from it.
  engine.images = createImageResolver({
    docker,
    logins: projectRegistryLogins,
    riseRegistryHost: registry.host,
    pullToken: () => sign(project, ['pull']),
  });
}, 300_000);

afterAll(async () => {
  await removeContainersAndNetworks(docker, `rise.test=${runId}`).catch(() => undefined);
  await caddy?.stop();
  for (const id of containers)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  for (let i = 1; i <= 10; i++)
    await docker
      .getImage(ref(i))
      .remove({ force: true })
      .catch(() => undefined);
  for (const digest of digests.values())
    await docker
      .getImage(`${registry?.host}/${project}@${digest}`)
      .remove({ force: true })
      .catch(() => undefined);
  await registry?.stop();
  await new Promise((resolve) => tokenServer?.close(resolve));
});

describe('image retention (RISE_IMAGE_RETENTION) with the real engine and registry', () => {
  it('keeps the newest 3 and an image a container uses, removes the rest from engine and registry, and GC frees their blobs', async () => {
    expect(await tags()).toEqual(['d1', 'd10', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9']);
    expect(await engineImagesOfProject()).toBe(10);
    // d2's image is old, but a container runs it: neither the engine's image nor its manifest may go.
    const container = await docker.createContainer({
      Image: ref(2),
      Labels: { 'rise.test': 'image-retention' },
    });
    containers.push(container.id);
    await container.start();
    const removedConfigs = await Promise.all([1, 3, 4, 5, 6, 7].map((i) => configDigest(digests.get(i)!)));
    const keptConfigs = await Promise.all([2, 8, 9, 10].map((i) => configDigest(digests.get(i)!)));

    const first = await runImageRetention(deps());
    expect(first.errors).toEqual([]);
    expect(first.inUse).toBe(1);
    expect(first.engineImagesRemoved).toBe(6);
    expect(first.manifestsDeleted).toBe(6);
    expect(first.gc).toBe('ran');
    expect(await tags()).toEqual(['d10', 'd2', 'd8', 'd9']);
    expect(await engineImagesOfProject()).toBe(4);
    expect((await docker.getContainer(container.id).inspect()).State.Running).toBe(true);
    // The manifests and configs of removed images are gone from storage, the kept ones' are there.
    for (const i of [1, 3, 4, 5, 6, 7]) expect(existsSync(blobPath(digests.get(i)!))).toBe(false);
    for (const config of removedConfigs) expect(existsSync(blobPath(config))).toBe(false);
    for (const i of [2, 8, 9, 10]) expect(existsSync(blobPath(digests.get(i)!))).toBe(true);
    for (const config of keptConfigs) expect(existsSync(blobPath(config))).toBe(true);

    // Once the container is gone, d2's image is past retention like the others.
    await docker.getContainer(container.id).remove({ force: true });
    const second = await runImageRetention(deps());
    expect(second.errors).toEqual([]);
    expect(second.inUse).toBe(0);
    expect(second.engineImagesRemoved).toBe(1);
    expect(second.manifestsDeleted).toBe(1);
    expect(await tags()).toEqual(['d10', 'd8', 'd9']);
    expect(await engineImagesOfProject()).toBe(3);
    expect(existsSync(blobPath(digests.get(2)!))).toBe(false);

    const third = await runImageRetention(deps());
    expect([third.engineImagesRemoved, third.manifestsDeleted, third.inUse]).toEqual([0, 0, 0]);
  }, 240_000);

  it('each kept image can be pulled again by its digest (a rollback target) and runs its version', async () => {
    for (const i of [8, 9, 10]) {
      const pinned = `${registry.host}/${project}@${digests.get(i)}`;
      await docker.getImage(ref(i)).remove({ force: true });
      await follow(await docker.pull(pinned, { authconfig: { serveraddress: registry.host } }));
      const container = await docker.createContainer({
        Image: pinned,
        Cmd: ['/bin/busybox', 'cat', '/www/index.html'],
        Labels: { 'rise.test': 'image-retention' },
      });
      containers.push(container.id);
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true })).toString('utf8');
      expect(logs).toContain(`${project}-v${i}`);
    }
  }, 120_000);

  it('rolls back through Rise to each kept deployment (healthy, serving its version through Caddy); one whose image was removed is refused up front', async () => {
    const removed = [1, 2, 3, 4, 5, 6, 7];
    const marked = await getDb().deployment.findMany({
      where: { projectId, imageRemovedAt: { not: null } },
      select: { id: true },
    });
    expect(marked.map((row) => row.id).sort()).toEqual(removed.map((i) => deploymentIds.get(i)!).sort());
    const view = (i: number) => api.deployment.get({ project, deployment: deploymentIds.get(i)! });
    expect((await view(5)).imageRemoved).toBe(true);
    expect((await view(8)).imageRemoved).toBe(false);

    // None of the kept images is left in the engine: each rollback pulls its digest from the registry.
    for (const id of containers.splice(0))
      await docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined);
    for (const i of [8, 9, 10])
      await docker.getImage(`${registry.host}/${project}@${digests.get(i)}`).remove({ force: true });
    expect(await engineImagesOfProject()).toBe(0);

    for (const i of [8, 9, 10, 9]) {
      const rollback = await api.deployment.rollback({ project, deployment: deploymentIds.get(i)! });
      expect(rollback).toMatchObject({ rolledBackFrom: deploymentIds.get(i), imageDigest: digests.get(i) });
      await runDeployment(engine, rollback.id);
      expect(await api.deployment.get({ project, deployment: rollback.id })).toMatchObject({
        status: 'healthy',
        active: true,
        error: null,
      });
      expect(await getThroughProxy(caddy.httpPort, `${project}.localhost`)).toMatchObject({
        status: 200,
        body: `${project}-v${i}\n`,
      });
    }

    const before = await getDb().deployment.count({ where: { projectId } });
    for (const i of [1, 5, 7]) {
      const refused = await rejectionOf(
        api.deployment.rollback({ project, deployment: deploymentIds.get(i)! }),
        TRPCError,
      );
      expect(refused.code).toBe('PRECONDITION_FAILED');
      expect(refused.message).toBe(
        `The image of deployment '${deploymentIds.get(i)}' was removed by image retention (RISE_IMAGE_RETENTION=3 keeps the images of each project's newest 3 deployments): it can no longer run. Roll back to a newer deployment, or deploy that version again from source.`,
      );
    }
    // Nothing was queued, and the version rolled back to last keeps serving.
    expect(await getDb().deployment.count({ where: { projectId } })).toBe(before);
    expect(await getThroughProxy(caddy.httpPort, `${project}.localhost`)).toMatchObject({
      status: 200,
      body: `${project}-v9\n`,
    });
    // The rollbacks are the newest deployments now (of d9, d10, d9 again, newest first): d8's image is
    // past retention, and both d8 and the rollback that ran it can no longer be rolled back to.
    const rollbackToD8 = await getDb().deployment.findFirstOrThrow({
      where: { projectId, rolledBackFromId: deploymentIds.get(8) },
    });
    const again = await runImageRetention(deps());
    expect(again.errors).toEqual([]);
    expect([again.engineImagesRemoved, again.manifestsDeleted]).toEqual([1, 1]);
    expect(await tags()).toEqual(['d10', 'd9']);
    expect((await view(8)).imageRemoved).toBe(true);
    expect((await api.deployment.get({ project, deployment: rollbackToD8.id })).imageRemoved).toBe(true);
    expect((await view(9)).imageRemoved).toBe(false);
  }, 240_000);

  it('does not garbage-collect while a deployment may be pushing', async () => {
    await getDb().deployment.create({
      data: { id: newDeploymentId(), projectId, status: 'pushing', image: null },
    });
    const result = await runImageRetention(
      deps({ pushInProgress: () => diskHygieneRepo.pushInProgress(60_000) }),
    );
    expect(result.gc).toBe('skipped: push in progress');
    expect(result.blobsDeleted).toBe(0);
  });
});
