/**
 * Issue 12, images: a developer of one project attacks the worker and other tenants through the image
 * reference of a deployment. Real web server (`next start`), real worker process, Docker engine, Caddy
 * and CNCF registry in token-auth mode with Rise as its token service.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, type Tx } from '@/server/db';
import { deploymentRepo } from '@/server/domains/deployments/deployment.repo';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { issueToken } from '@/server/domains/tokens/token.service';
import { deployJob } from '@/server/jobs/definitions/deploy.job';
import { enqueue } from '@/server/jobs/enqueue';
import { freePort } from '@/server/platform/free-port';
import { signCredential } from '@/server/registry/registry-credential';
import { ensureRegistrySigningKey } from '@/server/registry/signing-key';
import { httpApi } from '../api-client';
import { startCaddy, type TestCaddy } from '../caddy';
import { removeInstanceResources } from '../docker-networks';
import { apiAs, createUser, type TestUser, uniqueName, userCaller } from '../fixtures';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../images';
import { isolatedEngineEnv, riseRegistryTokenAuth } from '../isolated-engine-env';
import { type NextServer, startNextServer } from '../next-server';
import { startRegistry, type TestRegistry } from '../registry';
import { waitFor } from '../wait';
import { startWorkerProcess, type WorkerProcess } from '../worker-process';

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const dataDir = mkdtempSync(join(tmpdir(), 'rise-images-sec-'));
const configDirs: string[] = [];
const createdImages: string[] = [];
const closers: (() => Promise<unknown> | unknown)[] = [];
const ZERO_DIGEST = `sha256:${'0'.repeat(64)}`;

let web: NextServer;
let caddy: TestCaddy;
let registry: TestRegistry;
/** An anonymous registry the outbound guard allows (RISE_OUTBOUND_ALLOW). */
let allowedRegistry: TestRegistry;
/** An anonymous registry on loopback that RISE_OUTBOUND_ALLOW does not list. */
let refusedRegistry: TestRegistry;
let worker: WorkerProcess;
let alice: TestUser;
let bob: TestUser;
let aliceToken: string;
let bobToken: string;
/** Alice's projects; p2 is Bob's. */
let p1: string;
let attackProjects: string[];
let p2: string;
let base: string;
const hostile: Record<string, number> = {};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const aliceApi = () => apiAs(userCaller(alice));

function run(command: string, args: string[], input?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function dockerConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rise-images-docker-'));
  configDirs.push(dir);
  return dir;
}

async function loggedIn(host: string, username: string, password: string): Promise<string> {
  const config = dockerConfig();
  const login = await run(
    'docker',
    ['--config', config, 'login', host, '-u', username, '--password-stdin'],
    password,
  );
  expect(login.code, login.stderr).toBe(0);
  return config;
}

/** Tags `image` as `reference` and pushes it with `config`'s login; returns the pushed digest. */
async function push(image: string, reference: string, config?: string): Promise<string> {
  expect((await run('docker', ['tag', image, reference])).code).toBe(0);
  createdImages.push(reference);
  const pushed = await run('docker', [...(config ? ['--config', config] : []), 'push', reference]);
  expect(pushed.code, `${pushed.stderr}\n${registry.output().slice(-2000)}`).toBe(0);
  return /digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout)![1]!;
}

async function settled(project: string, id: string, timeoutMs = 120_000): Promise<DeploymentView> {
  return waitFor(
    async () => {
      const view = await aliceApi().deployment.get({ project, deployment: id });
      return ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'].includes(view.status)
        ? view
        : null;
    },
    { description: `deployment ${id} of ${project} to settle`, timeoutMs, context: () => worker.output() },
  );
}

const workerAlive = () => worker.child.exitCode === null && worker.child.signalCode === null;

/** A TCP server on 127.0.0.1 that treats every connection with `onConnection`. */
async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

async function httpServer(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

beforeAll(async () => {
  base = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  caddy = await startCaddy();
  const registryHost = `127.0.0.1:${await freePort()}`;
  const shared = {
    RISE_DATA_DIR: dataDir,
    RISE_REGISTRY_HOST: registryHost,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_APPS_PORT: String(caddy.httpPort),
  };
  web = await startNextServer(shared);
  registry = await startRegistry({
    port: Number(registryHost.split(':')[1]),
    tokenAuth: riseRegistryTokenAuth(web.url, dataDir),
  });
  allowedRegistry = await startRegistry();
  refusedRegistry = await startRegistry();

  // Registries that misbehave, each on its own loopback port that RISE_OUTBOUND_ALLOW lets through.
  hostile.reset = await tcpServer((socket) => socket.resetAndDestroy());
  hostile.garbage = await tcpServer((socket) =>
    socket.once('data', () => socket.end(Buffer.from('\u0000\u00ffNOT HTTP\r\n\r\n\u0000'))),
  );
  hostile.silentClose = await tcpServer((socket) => socket.end());
  hostile.redirectToEtc = await httpServer((_request, response) =>
    response.writeHead(301, { location: 'http://etc/v2/' }).end(),
  );
  hostile.redirectToRise = await httpServer((_request, response) =>
    response.writeHead(307, { location: `${web.url}/api/trpc/project.list` }).end(),
  );
  hostile.realmAtRise = await httpServer((_request, response) =>
    response
      .writeHead(401, {
        'www-authenticate': `Bearer realm="${web.url}/api/registry/token",service="rise-registry"`,
      })
      .end(),
  );
  hostile.realmAtMetadata = await httpServer((_request, response) =>
    response
      .writeHead(401, {
        'www-authenticate': 'Bearer realm="http://169.254.169.254/latest/meta-data",service="x"',
      })
      .end(),
  );
  hostile.realmNotUrl = await httpServer((_request, response) =>
    response.writeHead(401, { 'www-authenticate': 'Bearer realm="file:///etc/passwd"' }).end(),
  );
  const selfRealm = (port: () => number, body: () => string) =>
    httpServer((request, response) => {
      if (request.url?.startsWith('/token')) return response.writeHead(200).end(body());
      response
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port()}/token",service="s"` })
        .end();
    });
  hostile.garbageToken = await selfRealm(
    () => hostile.garbageToken!,
    () => 'not json {',
  );
  hostile.hugeToken = await selfRealm(
    () => hostile.hugeToken!,
    () => JSON.stringify({ token: 'x'.repeat(2_000_000) }),
  );
  hostile.noDigest = await httpServer((_request, response) => response.writeHead(200).end());
  hostile.badDigest = await httpServer((_request, response) =>
    response.writeHead(200, { 'docker-content-digest': 'sha256:../../etc' }).end(),
  );
  hostile.serverError = await httpServer((_request, response) => response.writeHead(500).end('boom'));
  const allowed = [...Object.values(hostile).map((port) => `127.0.0.1:${port}`), allowedRegistry.host];
  worker = await startWorkerProcess({
    ...shared,
    RISE_URL: web.url,
    RISE_OUTBOUND_ALLOW: allowed.join(','),
    ...(await isolatedEngineEnv(caddy, runId)),
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_SWITCH_SETTLE_MS: '200',
  });

  alice = await createUser({ username: uniqueName('alice') });
  bob = await createUser({ username: uniqueName('bob') });
  aliceToken = (await issueToken(null, { userId: alice.id, name: 'images', expiresInDays: 1 })).token;
  bobToken = (await issueToken(null, { userId: bob.id, name: 'images', expiresInDays: 1 })).token;
  const settings = { port: TEST_APP_PORT, healthPath: '/health' };
  p1 = `img-${runId}-a`;
  attackProjects = [1, 2, 3, 4].map((n) => `img-${runId}-x${n}`);
  p2 = `img-${runId}-b`;
  for (const name of [p1, ...attackProjects]) await aliceApi().project.create({ name, ...settings });
  await apiAs(userCaller(bob)).project.create({ name: p2, ...settings });
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  // A server still holding a hostile connection must not hold up the rest of the cleanup.
  for (const close of closers) await Promise.race([close(), sleep(5_000)]);
  await registry?.stop();
  await allowedRegistry?.stop();
  await refusedRegistry?.stop();
  await web?.stop();
  await caddy?.stop();
  await removeInstanceResources(docker, `test-${runId}`);
  await docker
    .getNetwork(`rise-test-${runId}`)
    .remove()
    .catch(() => undefined);
  for (const image of createdImages)
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
  for (const dir of [dataDir, ...configDirs]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('image references are parsed at the API', () => {
  it.each([
    ['a/../../etc', /path component '\.\.'/],
    ['../etc', /registry host '\.\.'/],
    ['Evil/../x', /path component '\.\.'/],
    ['app:bad/tag', /path component 'bad'|tag/],
    [`app@sha256:${'z'.repeat(64)}`, /digest/],
    ['registry.example.com:99999/app', /registry port '99999'/],
    ['a//b', /path component '' is empty/],
  ])('refuses %j with a 400 naming the wrong part', async (image, part) => {
    const error = await httpApi(web.url, { token: aliceToken })
      .deployment.create.mutate({ project: p1, image })
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(TRPCClientError);
    const trpc = error as Error & { data?: { httpStatus?: number } };
    expect(trpc.data?.httpStatus).toBe(400);
    expect(trpc.message).toMatch(part);
    expect(await getDb().deployment.count({ where: { image } })).toBe(0);
  });

  it('an old row with such a reference fails in the worker, which lives on', async () => {
    const project = await getDb().project.findUniqueOrThrow({ where: { name: p1 } });
    const id = newDeploymentId();
    await getDb().$transaction(async (tx: Tx) => {
      await deploymentRepo.create({ id, projectId: project.id, status: 'pushed', image: 'a/../../etc' }, tx);
      await enqueue(tx, deployJob, { deploymentId: id, projectId: project.id });
    });
    const view = await settled(p1, id);
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(/path component '\.\.'/);
    expect(workerAlive()).toBe(true);
  }, 120_000);
});

describe('the worker survives hostile image references', () => {
  it('fails 50 hostile but grammatical references with readable reasons, then deploys normally', async () => {
    const at = (name: string) => `127.0.0.1:${hostile[name]}`;
    const references: [string, RegExp][] = [];
    for (const tag of ['v1', 'latest']) {
      references.push(
        [`${at('reset')}/app:${tag}`, /ECONNRESET|socket|other side closed|fetch failed|reset/i],
        [`${at('garbage')}/app:${tag}`, /does not match the HTTP\/1\.1 protocol|HPE_|other side closed/i],
        [`${at('silentClose')}/app:${tag}`, /other side closed|socket|fetch failed/i],
        [
          `${at('redirectToEtc')}/app:${tag}`,
          /redirected \(301\) to http:\/\/etc\/v2\/; Rise does not follow/,
        ],
        [`${at('redirectToRise')}/app:${tag}`, /redirected \(307\)/],
        [
          `${at('realmAtRise')}/app:${tag}`,
          /Rise refused to connect to localhost:\d+ .*(Rise's own|loopback)/,
        ],
        [
          `${at('realmAtMetadata')}/app:${tag}`,
          /Rise refused to connect to 169\.254\.169\.254:80: it is a link-local address/,
        ],
        [`${at('realmNotUrl')}/app:${tag}`, /token realm that is not http\(s\)/],
        [`${at('garbageToken')}/app:${tag}`, /token answer is not JSON/],
        [`${at('hugeToken')}/app:${tag}`, /larger than/],
        [`${at('noDigest')}/app:${tag}`, /no valid Docker-Content-Digest/],
        [`${at('badDigest')}/app:${tag}`, /no valid Docker-Content-Digest/],
        [`${at('serverError')}/app:${tag}`, /answered 500/],
      );
    }
    references.push(
      ['etc/x', /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
      ['etc', /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
      [`app:${'t'.repeat(128)}`, /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
      ['nonexistent.invalid/app:v1', /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
      [`nonexistent.invalid/app@${ZERO_DIGEST}`, /ENOTFOUND|EAI_AGAIN|getaddrinfo/],
      ['10.0.0.1/app:v1', /Rise refused to connect to 10\.0\.0\.1:443: it is a private address/],
      ['192.168.1.1:5000/app:v1', /it is a private address/],
      ['172.16.0.1/app:v1', /it is a private address/],
      ['100.64.0.1/app:v1', /it is a carrier-grade NAT address/],
      ['169.254.169.254/latest/meta-data:v1', /it is a link-local address/],
      ['0.0.0.0:5000/app:v1', /it is an? unspecified address/],
      ['[::1]:5000/app:v1', /it is a loopback address/],
      ['[fd00::1]/app:v1', /it is a unique local address/],
      ['[::ffff:7f00:1]:5000/app:v1', /it is a loopback address/],
      ['localhost:1/app:v1', /it is a loopback address|Rise's own/],
      [`127.0.0.1:1/app@${ZERO_DIGEST}`, /RISE_OUTBOUND_ALLOW=127\.0\.0\.1:1/],
      [`${new URL(web.url).host}/app:v1`, /it is a loopback address/],
      [`${refusedRegistry.host}/app:v1`, /loopback address.*RISE_OUTBOUND_ALLOW=/],
      [`${allowedRegistry.host}/nothing:v1`, /not found in its registry/],
      [`${allowedRegistry.host}/nothing@${ZERO_DIGEST}`, /not present locally and could not be pulled/],
      // Its own repository of Rise's registry (__OWN__ becomes the deploying project).
      [`${registry.host}/__OWN__@${ZERO_DIGEST}`, /not present locally and could not be pulled/],
      [`${registry.host}/__OWN__:missing-tag`, /not found in its registry/],
      [ZERO_DIGEST, /is not present in the Docker engine/],
      ['0'.repeat(64), /is not present in the Docker engine/],
    );
    expect(references.length).toBeGreaterThanOrEqual(50);

    const created: { project: string; id: string; image: string; reason: RegExp }[] = [];
    for (const [index, [image, reason]] of references.entries()) {
      const project = attackProjects[index % attackProjects.length]!;
      const own = image.replace('__OWN__', project);
      const deployment = await aliceApi().deployment.create({ project, image: own });
      created.push({ project, id: deployment.id, image: own, reason });
    }
    for (const { project, id, image, reason } of created) {
      const view = await settled(project, id);
      expect(view.status, `${image}: ${view.error}`).toBe('failed');
      expect(view.error, image).toMatch(reason);
      expect(view.error!.length, image).toBeLessThan(2000);
      expect(workerAlive(), image).toBe(true);
    }
    expect(worker.output()).not.toMatch(/uncaught exception outside any job/);

    const normal = await aliceApi().deployment.create({
      project: p1,
      image: await imageForProject(base, p1),
    });
    expect((await settled(p1, normal.id)).status).toBe('healthy');
    expect(workerAlive()).toBe(true);
  }, 600_000);
});

describe('images belong to projects', () => {
  let bobImage: string;
  let bobLocalId: string;

  beforeAll(async () => {
    // Bob's project: a tag in its repository of Rise's registry, and a local image built for it.
    bobImage = await imageForProject(base, p2);
    createdImages.push(bobImage);
    bobLocalId = (await docker.getImage(bobImage).inspect()).Id;
    const credentials = await httpApi(web.url, { token: bobToken }).registry.credentials.mutate({
      project: p2,
    });
    const config = await loggedIn(credentials.host, credentials.username, credentials.password);
    await push(bobImage, `${registry.host}/${p2}:v1`, config);
  }, 180_000);

  it("refuses another project's repository in Rise's registry at the API", async () => {
    for (const image of [
      `${registry.host}/${p2}:v1`,
      `${registry.host}/${p2}/sub:v1`,
      `${registry.host}/${p2}@${ZERO_DIGEST}`,
    ]) {
      const error = await httpApi(web.url, { token: aliceToken })
        .deployment.create.mutate({ project: p1, image })
        .then(
          () => null,
          (failure: unknown) => failure as Error & { data?: { httpStatus?: number } },
        );
      expect(error?.data?.httpStatus, image).toBe(403);
      expect(error?.message).toMatch(
        new RegExp(`may only run images from its own repository ${registry.host}/${p1}`),
      );
    }
    // The pushed-image report of a client build takes the same check.
    const pending = await aliceApi().deployment.create({ project: p1 });
    await aliceApi().deployment.report({ project: p1, deployment: pending.id, phase: 'building' });
    await aliceApi().deployment.report({ project: p1, deployment: pending.id, phase: 'pushing' });
    await expect(
      httpApi(web.url, { token: aliceToken }).deployment.report.mutate({
        project: p1,
        deployment: pending.id,
        phase: 'pushed',
        image: `${registry.host}/${p2}:v1`,
        digest: bobLocalId,
      }),
    ).rejects.toThrow(/may only run images from its own repository/);
  });

  it("refuses another project's local image by id, digest, short id and tag, and unlabelled ones, in the worker", async () => {
    const unlabelled = base;
    const attempts: [string, RegExp][] = [
      [bobLocalId, /was built for another project/],
      [bobLocalId.slice('sha256:'.length), /was built for another project/],
      [bobLocalId.slice('sha256:'.length, 'sha256:'.length + 12), /was built for another project/],
      [bobImage, /was built for another project/],
      [unlabelled, /has no dev\.rise\.project label/],
    ];
    for (const [image, reason] of attempts) {
      const created = await aliceApi().deployment.create({ project: p1, image });
      const view = await settled(p1, created.id);
      expect(view.status, image).toBe('failed');
      expect(view.error, image).toMatch(reason);
    }
    // A client-build report cannot smuggle Bob's image id in as the digest of a local name.
    const pending = await aliceApi().deployment.create({ project: p1 });
    await aliceApi().deployment.report({ project: p1, deployment: pending.id, phase: 'building' });
    await aliceApi().deployment.report({ project: p1, deployment: pending.id, phase: 'pushing' });
    await aliceApi().deployment.report({
      project: p1,
      deployment: pending.id,
      phase: 'pushed',
      image: 'innocent-name:v1',
      digest: bobLocalId,
    });
    const smuggled = await settled(p1, pending.id);
    expect(smuggled.status).toBe('failed');
    expect(smuggled.error).toMatch(/was built for another project/);
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`dev.rise.project=${p1}`] },
    });
    for (const container of containers) expect(container.ImageID).not.toBe(bobLocalId);
  }, 240_000);

  it('deploys a tag of its own repository with credentials scoped to it (issue 13)', async () => {
    // A distinct image, pushed and then removed locally, so the worker has to pull it.
    const own = await imageForProject(base, `${p1}-own`);
    const credentials = await httpApi(web.url, { token: aliceToken }).registry.credentials.mutate({
      project: p1,
    });
    const config = await loggedIn(credentials.host, credentials.username, credentials.password);
    const reference = `${registry.host}/${p1}:v1`;
    const digest = await push(own, reference, config);
    await docker.getImage(reference).remove();
    await docker.getImage(own).remove();

    const created = await aliceApi().deployment.create({ project: p1, image: reference });
    const view = await settled(p1, created.id);
    expect(view.status, `${view.error}\n${registry.output().slice(-3000)}`).toBe('healthy');
    expect(view.imageDigest).toBe(digest);
    createdImages.push(`${registry.host}/${p1}@${digest}`);

    // The worker's credentials (as registry/config.ts signs them) pull p1 and nothing else.
    const key = await ensureRegistrySigningKey(dataDir);
    const workerCredentials = await signCredential(
      key,
      { subject: { kind: 'worker', project: p1 }, repository: p1, actions: ['pull'], ttlSeconds: 300 },
      'rise',
    );
    const workerConfig = await loggedIn(
      registry.host,
      workerCredentials.username,
      workerCredentials.password,
    );
    const other = await run('docker', ['--config', workerConfig, 'pull', `${registry.host}/${p2}:v1`]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/denied|unauthorized|not found/i);
    const tokenUrl = new URL(`${web.url}/api/registry/token`);
    tokenUrl.searchParams.set('service', 'rise-registry');
    tokenUrl.searchParams.append('scope', `repository:${p1}:push,pull`);
    tokenUrl.searchParams.append('scope', `repository:${p2}:pull`);
    const basic = Buffer.from(`${workerCredentials.username}:${workerCredentials.password}`).toString(
      'base64',
    );
    const token = (await (
      await fetch(tokenUrl, { headers: { authorization: `Basic ${basic}` } })
    ).json()) as {
      token: string;
    };
    expect(JSON.parse(Buffer.from(token.token.split('.')[1]!, 'base64url').toString()).access).toEqual([
      { type: 'repository', name: p1, actions: ['pull'] },
    ]);
    // A forged worker credential for p2 signed with some other key is worthless.
    const forgedKey = await ensureRegistrySigningKey(mkdtempSync(join(tmpdir(), 'rise-forged-')));
    const forged = await signCredential(
      forgedKey,
      { subject: { kind: 'worker', project: p2 }, repository: p2, actions: ['pull'], ttlSeconds: 300 },
      'rise',
    );
    const forgedLogin = await run(
      'docker',
      ['--config', dockerConfig(), 'login', registry.host, '-u', forged.username, '--password-stdin'],
      forged.password,
    );
    expect(forgedLogin.code).not.toBe(0);
  }, 240_000);

  it('rollback reuses the pinned digest and re-checks the image', async () => {
    const rollback = await aliceApi().deployment.rollback({ project: p1 });
    const view = await settled(p1, rollback.id);
    expect(view.status, view.error ?? '').toBe('healthy');
    // Rolling back to a deployment whose image is not this project's is refused outright.
    const project = await getDb().project.findUniqueOrThrow({ where: { name: p1 } });
    const foreign = newDeploymentId();
    await getDb().deployment.create({
      data: {
        id: foreign,
        projectId: project.id,
        status: 'superseded',
        image: `${registry.host}/${p2}:v1`,
        imageDigest: ZERO_DIGEST,
        healthyAt: new Date(),
      },
    });
    // Through the web server: it knows RISE_REGISTRY_HOST (this process does not).
    await expect(
      httpApi(web.url, { token: aliceToken }).deployment.rollback.mutate({
        project: p1,
        deployment: foreign,
      }),
    ).rejects.toThrow(/may only run images from its own repository/);
  }, 240_000);
});

describe('the outbound guard', () => {
  it('refuses a registry on loopback unless RISE_OUTBOUND_ALLOW lists it, and allows it when listed', async () => {
    const image = await imageForProject(base, 'external');
    createdImages.push(image);
    await push(image, `${refusedRegistry.host}/external:v1`);
    await push(image, `${allowedRegistry.host}/external:v1`);
    await docker.getImage(`${refusedRegistry.host}/external:v1`).remove();
    await docker.getImage(`${allowedRegistry.host}/external:v1`).remove();

    const refused = await aliceApi().deployment.create({
      project: p1,
      image: `${refusedRegistry.host}/external:v1`,
    });
    const refusedView = await settled(p1, refused.id);
    expect(refusedView.status).toBe('failed');
    expect(refusedView.error).toContain(
      `Rise refused to connect to ${refusedRegistry.host}: it is a loopback address`,
    );
    expect(refusedView.error).toContain(`RISE_OUTBOUND_ALLOW=${refusedRegistry.host}`);

    const allowed = await aliceApi().deployment.create({
      project: p1,
      image: `${allowedRegistry.host}/external:v1`,
    });
    const allowedView = await settled(p1, allowed.id);
    expect(allowedView.status, allowedView.error ?? '').toBe('healthy');
    createdImages.push(`${allowedRegistry.host}/external@${allowedView.imageDigest}`);
  }, 240_000);
});
