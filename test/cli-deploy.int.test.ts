import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { httpApi, signUpLocally } from './api-client';
import { startCaddy, type TestCaddy } from './caddy';
import { runCli } from './cli-runner';
import { removeNetworks, TEST_SUBNET_POOL } from './docker-networks';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage } from './images';
import { type NextServer, startNextServer } from './next-server';
import { claimPortBlock } from './port-blocks';
import { startRegistry, type TestRegistry } from './registry';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

// `rise d c` from a directory with a Dockerfile: the real CLI builds with the local Docker engine, logs
// in to Rise's registry (token auth) with short-lived credentials, pushes, and the worker deploys it
// behind Caddy.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-deploy-'));
const appDir = mkdtempSync(join(tmpdir(), 'rise-cli-app-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-home-'));
const project = `cli-${runId}`;
let web: NextServer;
let caddy: TestCaddy;
let registry: TestRegistry;
let worker: WorkerProcess;
let token: string;

beforeAll(async () => {
  const base = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  writeFileSync(join(appDir, 'Dockerfile'), `FROM ${base}\nLABEL rise.test=1\n`);
  writeFileSync(
    join(appDir, '.rise.toml'),
    `project = "${project}"\n\n[build]\nbackend = "dockerfile"\n\n[deploy]\nport = 8080\nhealth_path = "/health"\n`,
  );
  caddy = await startCaddy();
  const registryHost = `127.0.0.1:${await freePort()}`;
  const portBase = (await claimPortBlock()).first;
  const shared = {
    RISE_DATA_DIR: dataDir,
    RISE_REGISTRY_HOST: registryHost,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_APPS_PORT: String(caddy.httpPort),
  };
  web = await startNextServer({ ...shared, RISE_LOCAL_AUTH: 'true' });
  registry = await startRegistry({
    port: Number(registryHost.split(':')[1]),
    tokenAuth: {
      realm: `${web.url}/api/registry/token`,
      service: 'rise-registry',
      issuer: 'rise',
      rootCertBundle: join(dataDir, 'registry-certs', 'rise-registry.crt'),
    },
  });
  worker = await startWorkerProcess({
    ...shared,
    RISE_URL: web.url,
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_PROXY_HTTP_PORT: String(caddy.httpPort),
    RISE_PROXY_BIND_HOST: '127.0.0.1',
    RISE_DOCKER_NETWORK: `rise-test-${runId}`,
    RISE_INSTANCE_ID: `test-${runId}`,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_APP_PORT_RANGE: `${portBase}-${portBase + 99}`,
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_SWITCH_SETTLE_MS: '500',
  });
  const cookie = await signUpLocally(web.url, {
    email: `dev-${runId}@example.test`,
    password: 'correct-horse-battery',
  });
  const browser = httpApi(web.url, { cookie });
  await browser.project.create.mutate({ name: project });
  token = (await browser.token.create.mutate({ name: 'cli-deploy test' })).token;
}, 300_000);

afterAll(async () => {
  await worker?.stop();
  await registry?.stop();
  await web?.stop();
  await caddy?.stop();
  const docker = new Dockerode();
  for (const c of await docker.listContainers({
    all: true,
    filters: { label: [`dev.rise.managed-by=test-${runId}`] },
  })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
  await removeNetworks(docker, `dev.rise.managed-by=test-${runId}`);
  for (const image of await docker.listImages({ filters: { reference: [`*/${project}`] } })) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  for (const dir of [dataDir, appDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('rise d c from a directory', () => {
  it('builds, pushes with temporary credentials, deploys, and the app answers at its URL', async () => {
    const result = await runCli(['d', 'c'], {
      home,
      cwd: appDir,
      env: { RISE_URL: web.url, RISE_TOKEN: token },
    });
    const lines = result.stderr.trim().split('\n');
    expect(result.code, `${result.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
    expect(lines[0]).toMatch(
      new RegExp(
        `^Building container image '${registry.host}/${project}:\\d{8}-\\d{4}-[a-z0-9]{4}' using dockerfile\\.\\.\\.$`,
      ),
    );
    expect(lines.slice(1)).toEqual([
      `Pushing container image to ${registry.host}...`,
      `Deploying '${project}' ...`,
      `Deployment successful! Your app is now running at http://${project}.localhost:${caddy.httpPort}`,
    ]);
    const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body.trim()).toBe('v1');
    // The build is labelled for its project: Rise runs a local image only for the project it names.
    const built = /'([^']+)'/.exec(lines[0]!)![1]!;
    const labels = (await new Dockerode().getImage(built).inspect()).Config.Labels;
    expect(labels?.['dev.rise.project']).toBe(project);
  }, 240_000);
});
