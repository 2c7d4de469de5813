import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { httpApi } from './api-client';
import { startCaddy, type TestCaddy } from './caddy';
import { runCli } from './cli-runner';
import { getThroughProxy, proxyRequest } from './http-through-proxy';
import { buildTestAppImage } from './images';
import { riseRegistryTokenAuth } from './isolated-engine-env';
import type { NextServer } from './next-server';
import { type PublicAddress, startPublicAddress } from './public-address';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import type { WorkerProcess } from './worker-process';

// Rise as the compose stack runs it: the public addresses (RISE_URL, RISE_REGISTRY_HOST) are the
// host's, and the worker and Caddy cannot reach them (here: connections those two processes make to
// them are reset, as dials to a host address inside a container fail); they reach the web server and
// the registry at RISE_INTERNAL_URL and RISE_REGISTRY_INTERNAL_URL. The host's Docker engine and the
// CLI use the public addresses. Before the fix, deploying by tag failed ("fetch failed": the worker
// resolved the digest at RISE_REGISTRY_HOST), the dashboard through Caddy was a 404 (no route) and a
// private project answered 502 to anonymous requests (forward-auth dialled RISE_URL).

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-internal-'));
const appDir = mkdtempSync(join(tmpdir(), 'rise-internal-app-'));
const home = mkdtempSync(join(tmpdir(), 'rise-internal-home-'));
const project = `int-${runId}`;
const privateProject = `intp-${runId}`;
let stack: RiseStack;
let web: NextServer;
let caddy: TestCaddy;
let worker: WorkerProcess | undefined;
let publicWeb: PublicAddress;
let publicRegistry: PublicAddress;
let token: string;
let baseImage: string;
const ID = String.raw`\d{8}-\d{4}-[a-z0-9]{4}`;

/** The processes that, in the compose stack, live in containers without the host's addresses. */
const insideTheStack = () => [worker?.child.pid, caddy?.pid()];
const riseUrl = () => `http://localhost:${publicWeb.port}`;
const rise = (args: string[], cwd = appDir) =>
  runCli(args, { home, cwd, env: { RISE_URL: riseUrl(), RISE_TOKEN: token } });
const api = () => httpApi(web.url, { token });

beforeAll(async () => {
  baseImage = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  writeFileSync(join(appDir, 'Dockerfile'), `FROM ${baseImage}\nLABEL rise.test=1\n`);
  writeFileSync(
    join(appDir, '.rise.toml'),
    `project = "${project}"\n\n[build]\nbackend = "dockerfile"\n\n[deploy]\nport = 8080\nhealth_path = "/health"\n`,
  );
  caddy = await startCaddy();
  const [webPort, registryPort] = [await freePort(), await freePort()];
  publicWeb = await startPublicAddress(webPort, insideTheStack);
  publicRegistry = await startPublicAddress(registryPort, insideTheStack);
  stack = await startRiseStack({
    runId,
    dataDir,
    caddy,
    webPort,
    registryPort,
    env: {
      RISE_URL: riseUrl(),
      RISE_INTERNAL_URL: `http://127.0.0.1:${webPort}`,
      RISE_REGISTRY_HOST: publicRegistry.host,
      RISE_REGISTRY_INTERNAL_URL: `http://127.0.0.1:${registryPort}`,
    },
    // Public, as in compose: the host's engine follows it.
    registryTokenAuth: () => riseRegistryTokenAuth(riseUrl(), dataDir),
  });
  ({ web, worker } = stack);
  token = await signUpWithToken(web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'internal addresses test',
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop({ images: [project, privateProject] });
  await publicWeb?.close();
  await publicRegistry?.close();
  for (const dir of [dataDir, appDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('internal and public addresses kept apart', () => {
  it('the public addresses are really out of reach for the worker and Caddy', async () => {
    // The fixture itself, checked: a connection this test makes passes, as the CLI's will.
    expect((await fetch(`${riseUrl()}/api/health`)).status).toBe(200);
    expect(publicWeb.refused()).toEqual([]);
  });

  it('builds and pushes through the public registry address, and the worker deploys the build', async () => {
    const result = await rise(['d', 'c']);
    expect(result.code, `${result.stderr}\n${worker?.output().slice(-3000)}`).toBe(0);
    expect(result.stderr).toContain(`Pushing container image to ${publicRegistry.host}...`);
    const response = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body.trim()).toBe('v1');
  }, 240_000);

  it('deploys by tag from its own registry: the worker resolves the digest at the internal address', async () => {
    const docker = new Dockerode();
    // Not in the engine any more: the engine must pull it again, from the public address.
    // Removing the last tag of a repository removes its digest references too.
    for (const image of await docker.listImages({ filters: { reference: [`*/${project}`] } }))
      for (const name of [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])])
        await docker
          .getImage(name)
          .remove({ force: true })
          .catch((error: { statusCode?: number }) => {
            if (error.statusCode !== 404) throw error;
          });
    expect(await docker.listImages({ filters: { reference: [`*/${project}`] } })).toEqual([]);
    const pulledBefore = publicRegistry.accepted();

    const byTag = `${publicRegistry.host}/${project}:latest`;
    const queued = await rise(['d', 'c', '--image', byTag, '--no-follow']);
    expect(queued.code, queued.stderr).toBe(0);
    const id = new RegExp(`Queued deployment (${ID})`).exec(queued.stderr)![1]!;
    const followed = await rise(['d', 's', project, id, '--follow', '--timeout', '2m']);
    expect(followed.code, `${followed.stderr}\n${worker?.output().slice(-3000)}`).toBe(0);

    const deployment = await api().deployment.get.query({ project, deployment: id });
    expect(deployment.image).toBe(byTag);
    expect(deployment.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The host's engine pulled through the public address (with the public token realm) ...
    expect(publicRegistry.accepted()).toBeGreaterThan(pulledBefore);
    // ... while nothing inside the stack even tried a public address.
    expect(publicRegistry.refused()).toEqual([]);
    expect(publicWeb.refused()).toEqual([]);
    expect((await getThroughProxy(caddy.httpPort, `${project}.localhost`)).body.trim()).toBe('v1');
  }, 240_000);

  it("serves the dashboard through Caddy on RISE_URL's host, though RISE_URL's port is not Caddy's", async () => {
    const health = await proxyRequest(caddy.httpPort, { host: 'localhost', path: '/api/health' });
    expect(health.status, health.body).toBe(200);
    const signin = await proxyRequest(caddy.httpPort, { host: 'localhost', path: '/signin' });
    expect(signin.status).toBe(200);
    expect(signin.body).toContain('Sign in to Rise');
    expect(publicWeb.refused()).toEqual([]);
  });

  it('answers 401 for a private project to anonymous requests: forward-auth at the internal address', async () => {
    await api().project.create.mutate({ name: privateProject, visibility: 'private' });
    const dir = mkdtempSync(join(tmpdir(), 'rise-internal-private-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), `FROM ${baseImage}\nLABEL rise.test=1\n`);
      writeFileSync(
        join(dir, '.rise.toml'),
        `project = "${privateProject}"\n\n[build]\nbackend = "dockerfile"\n\n[deploy]\nport = 8080\nhealth_path = "/health"\n`,
      );
      const result = await rise(['d', 'c'], dir);
      expect(result.code, `${result.stderr}\n${worker?.output().slice(-3000)}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const anonymous = await getThroughProxy(caddy.httpPort, `${privateProject}.localhost`);
    expect(anonymous.status, anonymous.body).toBe(401);
    expect(anonymous.body).toContain('Sign in');
    // A browser is sent to sign in at the public URL.
    const browser = await proxyRequest(caddy.httpPort, {
      host: `${privateProject}.localhost`,
      headers: { accept: 'text/html' },
    });
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toContain(`${riseUrl()}/api/proxy/authorize?host=`);
    expect(publicWeb.refused()).toEqual([]);
  }, 240_000);
});
