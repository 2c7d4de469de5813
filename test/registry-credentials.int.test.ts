/**
 * Issue 13: tag deploys from a private registry that needs a login. A second local registry (Debian's
 * `docker-registry` with htpasswd auth), the real web server, worker, CLI, Docker engine and Caddy; the
 * Kubernetes pull secret against the fake Kubernetes API server. (A tag deploy from Rise's own registry
 * is in test/security/images.int.test.ts, "deploys a tag of its own repository".)
 */

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { projectRegistryLogins } from '@/server/domains/registry-logins/project-registry-logins';
import { issueToken } from '@/server/domains/tokens/token.service';
import { freePort } from '@/server/platform/free-port';
import { createPullAuth } from '@/server/registry/pull-auth';
import { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import { startCaddy, type TestCaddy } from './caddy';
import { removeInstanceResources } from './docker-networks';
import { FakeKubernetesApi } from './fake-kubernetes-api';
import { apiAs, createUser, type TestUser, userCaller } from './fixtures';
import { startHtpasswdRegistry } from './htpasswd-registry';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage, TEST_APP_PORT } from './images';
import { isolatedEngineEnv } from './isolated-engine-env';
import { type NextServer, startNextServer } from './next-server';
import type { TestRegistry } from './registry';
import { waitFor } from './wait';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const dataDir = mkdtempSync(join(tmpdir(), 'rise-regcreds-'));
const cliHome = mkdtempSync(join(tmpdir(), 'rise-regcreds-cli-'));
const createdImages: string[] = [];
const BOT = 'deploy-bot';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

let web: NextServer;
let caddy: TestCaddy;
let privateRegistry: TestRegistry;
let worker: WorkerProcess;
let riseRegistryHost: string;
let alice: TestUser;
let aliceToken: string;
/** Alice's project that logs in, and her other one, which must not profit from that login. */
let p1: string;
let p2: string;
let image: string;
let pushedDigest: string;

const aliceApi = () => apiAs(userCaller(alice));

/** The built CLI as a user runs it, logged in with Alice's token; `input` is its stdin. */
function rise(args: string[], input = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'cli/dist/rise.js'), ...args], {
      env: {
        PATH: process.env.PATH,
        XDG_CONFIG_HOME: cliHome,
        CI: 'true',
        RISE_URL: web.url,
        RISE_TOKEN: aliceToken,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function settled(project: string, id: string, timeoutMs = 120_000): Promise<DeploymentView> {
  return waitFor(
    async () => {
      const view = await aliceApi().deployment.get({ project, deployment: id });
      return ['healthy', 'failed', 'cancelled', 'superseded', 'stopped'].includes(view.status) ? view : null;
    },
    { description: `deployment ${id} of ${project} to settle`, timeoutMs, context: () => worker.output() },
  );
}

async function deploy(project: string, reference: string): Promise<DeploymentView> {
  const created = await aliceApi().deployment.create({ project, image: reference });
  return settled(project, created.id);
}

/** Pushes `local` as `reference` with the registry login, then removes both tags: the worker must pull. */
async function pushPrivate(local: string, reference: string): Promise<string> {
  const [repo, tag] = [
    reference.slice(0, reference.lastIndexOf(':')),
    reference.slice(reference.lastIndexOf(':') + 1),
  ];
  await docker.getImage(local).tag({ repo, tag });
  const stream = await docker.getImage(reference).push({
    authconfig: { username: BOT, password: PASSWORD, serveraddress: privateRegistry.host },
  });
  const events: { aux?: { Digest?: string }; error?: string }[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, output: typeof events) =>
      error ? reject(error) : resolve(output),
    ),
  );
  const failure = events.find((event) => event.error);
  if (failure) throw new Error(`${failure.error}\n${privateRegistry.output().slice(-2000)}`);
  const digest = events.find((event) => event.aux?.Digest)?.aux?.Digest;
  if (!digest) throw new Error('the push reported no digest');
  await docker.getImage(reference).remove();
  return digest;
}

/** Every Rise container of `project` (this run's instance), with its environment. */
async function containersOf(project: string) {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`dev.rise.managed-by=test-${runId}`, `dev.rise.project=${project}`] },
  });
  return Promise.all(containers.map((container) => docker.getContainer(container.Id).inspect()));
}

beforeAll(async () => {
  const base = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  // A distinct image for this run, so no other test's pull leaves it in the engine.
  const local = `rise-test-regcreds-${runId}:v1`;
  await docker.getImage(base).tag({ repo: `rise-test-regcreds-${runId}`, tag: 'v1' });
  createdImages.push(local);
  caddy = await startCaddy();
  privateRegistry = await startHtpasswdRegistry({ [BOT]: PASSWORD });
  image = `${privateRegistry.host}/private/app:v1`;
  pushedDigest = await pushPrivate(local, image);
  createdImages.push(`${privateRegistry.host}/private/app@${pushedDigest}`);

  // Rise's own registry is never started here: only its host matters (logins for it are refused).
  riseRegistryHost = `127.0.0.1:${await freePort()}`;
  const shared = {
    RISE_DATA_DIR: dataDir,
    RISE_REGISTRY_HOST: riseRegistryHost,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_APPS_PORT: String(caddy.httpPort),
    // The private registry listens on loopback, which the outbound guard refuses unless allowed.
    RISE_OUTBOUND_ALLOW: privateRegistry.host,
  };
  web = await startNextServer(shared);
  worker = await startWorkerProcess({
    ...shared,
    RISE_URL: web.url,
    ...(await isolatedEngineEnv(caddy, runId)),
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_SWITCH_SETTLE_MS: '200',
  });

  alice = await createUser({ username: `alice-${runId}` });
  aliceToken = (await issueToken(null, { userId: alice.id, name: 'regcreds', expiresInDays: 1 })).token;
  p1 = `rc-${runId}-a`;
  p2 = `rc-${runId}-b`;
  for (const name of [p1, p2])
    await aliceApi().project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  await web?.stop();
  await caddy?.stop();
  await privateRegistry?.stop();
  await removeInstanceResources(docker, `test-${runId}`);
  await docker
    .getNetwork(`rise-test-${runId}`)
    .remove()
    .catch(() => undefined);
  for (const created of [...createdImages, image])
    await docker
      .getImage(created)
      .remove({ force: true })
      .catch(() => undefined);
  for (const dir of [dataDir, cliHome]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('tag deploys from a registry that needs a login (issue 13)', () => {
  it('fails with a clear 401 without a login, and names refused credentials', async () => {
    const anonymous = await deploy(p1, image);
    expect(anonymous.status).toBe('failed');
    expect(anonymous.error).toContain(
      `registry ${privateRegistry.host} requires a login to pull private/app: the manifest request answered 401 without credentials. Project '${p1}' has no login for ${privateRegistry.host}: add one with \`rise registry login ${privateRegistry.host} -p ${p1} -u <user> --password-stdin\``,
    );

    await aliceApi().registryLogin.set({
      project: p1,
      host: privateRegistry.host,
      username: BOT,
      password: 'not-the-password',
    });
    const refused = await deploy(p1, image);
    expect(refused.status).toBe('failed');
    expect(refused.error).toContain(
      `registry ${privateRegistry.host} refused the credentials for private/app: the manifest request answered 401. Check the login of project '${p1}' for ${privateRegistry.host}`,
    );
  }, 240_000);

  it('deploys after `rise registry login`: the worker resolves and pulls with the project login', async () => {
    const login = await rise(
      ['registry', 'login', privateRegistry.host, '-p', p1, '-u', BOT, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`Saved the login of '${p1}' for ${privateRegistry.host} (user ${BOT})`);
    expect(
      await docker
        .getImage(image)
        .inspect()
        .catch(() => null),
    ).toBeNull();

    const view = await deploy(p1, image);
    expect(view.status, `${view.error}\n${worker.output().slice(-3000)}`).toBe('healthy');
    expect(view.imageDigest).toBe(pushedDigest);
    const response = await getThroughProxy(caddy.httpPort, `${p1}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body.trim()).toBe('v1');

    // The login is the project's secret, not the app's: not in its environment, nor in any log.
    const containers = await containersOf(p1);
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) expect(JSON.stringify(container.Config.Env)).not.toContain(PASSWORD);
    expect(worker.output()).not.toContain(PASSWORD);
    expect(web.output()).not.toContain(PASSWORD);
  }, 240_000);

  it('another project cannot use it, even with the image in the engine by tag or digest', async () => {
    // p1's pull left the image in the local engine.
    expect(
      await docker.getImage(`${privateRegistry.host}/private/app@${pushedDigest}`).inspect(),
    ).toBeTruthy();
    for (const reference of [image, `${privateRegistry.host}/private/app@${pushedDigest}`]) {
      const view = await deploy(p2, reference);
      expect(view.status, reference).toBe('failed');
      expect(view.error, reference).toContain(
        `registry ${privateRegistry.host} requires a login to pull private/app`,
      );
      expect(view.error, reference).toContain(`Project '${p2}' has no login for ${privateRegistry.host}`);
    }
    expect(await containersOf(p2)).toEqual([]);
  }, 240_000);

  it('keeps the password encrypted at rest, out of the audit log and out of every answer', async () => {
    const run = promisify(execFile);
    const { stdout: dump } = await run('pg_dump', ['--dbname', process.env.DATABASE_URL!, '--data-only'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain(privateRegistry.host);
    expect(dump).not.toContain(PASSWORD);
    const audit = await getDb().auditEvent.findMany({ where: { action: { startsWith: 'registry.' } } });
    expect(audit.map((event) => event.action)).toEqual(['registry.login', 'registry.login']);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit)).not.toContain('not-the-password');

    const table = await rise(['registry', 'ls', '-p', p1]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^HOST +USERNAME +UPDATED$/);
    expect(table.stdout).toContain(privateRegistry.host);
    const json = await rise(['registry', 'ls', '-p', p1, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        host: privateRegistry.host,
        username: BOT,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
    expect(`${table.stdout}${json.stdout}`).not.toContain(PASSWORD);
    expect(await rise(['registry', 'ls', '-p', p2])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: expect.stringContaining(`No registry logins on '${p2}'`),
    });
  });

  it("refuses Rise's own registry and malformed hosts with a message saying what to do", async () => {
    const own = await rise(
      ['registry', 'login', riseRegistryHost, '-p', p1, '-u', BOT, '--password-stdin'],
      'x',
    );
    expect(own.code).toBe(2);
    expect(own.stderr).toContain(`${riseRegistryHost} is Rise's own registry`);
    const malformed = await rise(
      ['registry', 'login', 'ghcr.io/team', '-p', p1, '-u', BOT, '--password-stdin'],
      'x',
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('give host[:port] only');
    await expect(
      aliceApi().registryLogin.set({ project: p1, host: 'https://ghcr.io', username: BOT, password: 'x' }),
    ).rejects.toThrow(/give host\[:port\] only/);
    expect((await aliceApi().registryLogin.list({ project: p1 })).map((login) => login.host)).toEqual([
      privateRegistry.host,
    ]);
  });

  it('`rise registry logout` removes the login; the next deploy needs it again', async () => {
    const logout = await rise(['registry', 'logout', privateRegistry.host, '-p', p1]);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stderr).toContain(`Removed the login of '${p1}' for ${privateRegistry.host}.`);
    expect(await aliceApi().registryLogin.list({ project: p1 })).toEqual([]);
    const again = await rise(['registry', 'logout', privateRegistry.host, '-p', p1]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`Project '${p1}' has no login for ${privateRegistry.host}.`);

    const view = await deploy(p1, image);
    expect(view.status).toBe('failed');
    expect(view.error).toContain(`Project '${p1}' has no login for ${privateRegistry.host}`);
    // The version that pulled with the login keeps serving.
    expect((await getThroughProxy(caddy.httpPort, `${p1}.localhost`)).body.trim()).toBe('v1');
  }, 240_000);
});

describe('Kubernetes pulls with the project login', () => {
  it("writes it to the project's imagePullSecret; another project's pods get none", async () => {
    const fake = await FakeKubernetesApi.start({ token: `token-${runId}` });
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions(fake.kubeConfigOptions());
      const runtime = new KubernetesRuntime({
        kubeConfig,
        instance: `test-${runId}`,
        extraLabels: { 'rise.test': runId },
        pullAuth: createPullAuth({ guardOutbound: false, riseRegistryHost, logins: projectRegistryLogins }),
      });
      // The fake kubelet pulls from the private registry only with these credentials.
      fake.registry = { host: privateRegistry.host, username: BOT, password: PASSWORD };
      await aliceApi().registryLogin.set({
        project: p1,
        host: privateRegistry.host,
        username: BOT,
        password: PASSWORD,
      });
      const check = { path: '/health', timeoutMs: 1_000, intervalMs: 25, attempts: 200 };
      const spec = (project: string, deploymentId: string) => ({
        project,
        deploymentId,
        slot: 'a' as const,
        image: `${privateRegistry.host}/private/app@${pushedDigest}`,
        port: TEST_APP_PORT,
        env: {},
        cpuLimit: null,
        memoryLimitMb: null,
        hostPort: null,
        healthPath: '/health',
      });

      const own = spec(p1, '20261202-0200-aaaa');
      await runtime.start(own);
      expect(await runtime.waitHealthy(own, check)).toEqual({ healthy: true });
      const secret = fake.get('secrets', `rise-${p1}`, 'rise-registry-pull');
      expect(secret?.type).toBe('kubernetes.io/dockerconfigjson');
      expect(
        JSON.parse(Buffer.from(secret?.data?.['.dockerconfigjson'] ?? '', 'base64').toString()).auths,
      ).toEqual({
        [privateRegistry.host]: {
          username: BOT,
          password: PASSWORD,
          auth: Buffer.from(`${BOT}:${PASSWORD}`).toString('base64'),
        },
      });
      // The env Secret (what the app sees) has no trace of it.
      const envSecret = fake.get('secrets', `rise-${p1}`, `${p1}-${own.deploymentId}-env`);
      expect(JSON.stringify(envSecret)).not.toContain(Buffer.from(PASSWORD).toString('base64'));

      const other = spec(p2, '20261202-0200-bbbb');
      await runtime.start(other);
      expect(fake.get('secrets', `rise-${p2}`, 'rise-registry-pull')).toBeUndefined();
      expect(await runtime.waitHealthy(other, check)).toMatchObject({
        healthy: false,
        error: expect.stringContaining('401 Unauthorized'),
      });
      expect(fake.rejections).toEqual([]);
    } finally {
      await fake.stop();
    }
  }, 120_000);
});
