/**
 * `npm start` as a supervisor, for real (scripts/start.ts with embedded PostgreSQL, Caddy, the registry,
 * the web server, the worker, Docker): a public app deployed through the API stays under steady load
 * while the worker, the web server, Caddy and the registry are each killed with SIGKILL. Each comes
 * back (restarted with backoff, logged) and the app loses no request: the apps' port belongs to the
 * supervisor's edge, which holds requests while Caddy restarts with its last config. Then Ctrl+C stops
 * web and worker first, Caddy and the registry next, PostgreSQL last; and ports already taken stop
 * start-up with a clear message.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { httpApi, signUpLocally } from './api-client';
import { startCaddy } from './caddy';
import { removeInstanceResources, TEST_SUBNET_POOL } from './docker-networks';
import { httpRequest, type Load, loadStats, startLoad } from './http-load';
import { buildTestAppImage, imageForProject } from './images';
import { claimPortBlock } from './port-blocks';
import {
  childrenMatching,
  cleanUpStarts,
  descendants,
  isAlive,
  type RunningRise,
  startEnv,
  startRise,
} from './rise-start-process';
import { type WaitOptions, waitFor } from './wait';

const runId = randomBytes(4).toString('hex');
const instanceId = `test-${runId}`;
const docker = new Dockerode();
const START_TIMEOUT = 180_000;
/** What the issue asks of every restarted child. */
const BACK_WITHIN_MS = 10_000;

const tempDirs: string[] = [];
const started: RunningRise[] = [];
const knownPids = new Set<number>();

afterAll(async () => {
  await cleanUpStarts(started, tempDirs, knownPids);
  await removeInstanceResources(docker, instanceId);
}, 90_000);

describe('npm start supervises its children while an app is under load', () => {
  let dataDir: string;
  let port: number;
  let appsPort: number;
  let registryHost: string;
  let env: NodeJS.ProcessEnv;
  let rise: RunningRise;
  const project = `sup-${runId}`;
  const appHost = `${project}.localhost`;
  const version = `supervised ${runId}`;
  let load: Load;

  const withRiseOutput = (description: string, timeoutMs = 120_000): WaitOptions => ({
    description,
    timeoutMs,
    intervalMs: 100,
    context: () => rise?.output(),
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rise-supervisor-'));
    tempDirs.push(dataDir);
    port = await freePort();
    appsPort = await freePort();
    registryHost = `127.0.0.1:${await freePort()}`;
    const portBase = (await claimPortBlock()).first;
    env = startEnv({
      RISE_DATA_DIR: dataDir,
      PORT: String(port),
      RISE_URL: `http://127.0.0.1:${port}`,
      RISE_PROXY_HTTP_PORT: String(appsPort),
      RISE_REGISTRY_HOST: registryHost,
      RISE_DOCKER_NETWORK: `rise-test-${runId}`,
      RISE_INSTANCE_ID: instanceId,
      RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
      RISE_APP_PORT_RANGE: `${portBase}-${portBase + 99}`,
      RISE_HEALTH_CHECK_INTERVAL_MS: '200',
      RISE_HEALTH_CHECK_ATTEMPTS: '50',
      RISE_SWITCH_SETTLE_MS: '1000',
      RISE_STOP_GRACE_MS: '1000',
      RISE_WORKER_SUPERVISE_SECONDS: '2',
    });
    const image = await buildTestAppImage({ tag: 'rise-test/supervisor-app:v1', version });
    const labelled = await imageForProject(image, project);
    rise = startRise(env, { processGroup: true });
    started.push(rise);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200,
      withRiseOutput('the web server', START_TIMEOUT - 30_000),
    );
    expect(rise.stdout()).toContain('[rise] Create the first account at');

    const cookie = await signUpLocally(`http://127.0.0.1:${port}`, {
      email: 'admin@example.com',
      password: 'correct horse battery staple',
      name: 'Admin',
    });
    const api = httpApi(`http://127.0.0.1:${port}`, { cookie });
    await api.project.create.mutate({ name: project, port: 8080, healthPath: '/health' });
    const { id } = await api.deployment.create.mutate({ project, image: labelled });
    const deployment = await waitFor(
      async () => {
        const current = await api.deployment.get.query({ project, deployment: id });
        return ['healthy', 'failed', 'cancelled'].includes(current.status) ? current : null;
      },
      withRiseOutput(`deployment ${id}`),
    );
    expect(deployment.error ?? null, rise.output()).toBeNull();
    expect(deployment.status).toBe('healthy');
    await waitFor(async () => {
      const answer = await httpRequest({ port: appsPort, host: appHost, timeoutMs: 5_000 });
      return answer.status === 200 && answer.body.trim() === version;
    }, withRiseOutput('the app at its public URL'));
    load = startLoad({
      clients: 4,
      keepAlive: false,
      pauseMs: 10,
      send: () => httpRequest({ port: appsPort, host: appHost, timeoutMs: 40_000 }),
    });
  }, START_TIMEOUT);

  /**
   * Kills the child of `npm start` whose command line contains `command` (Next names its process
   * `next-server`), and waits for its successor to be logged and answering.
   */
  async function killAndAwaitRestart(name: string, command: string, answering: () => Promise<boolean>) {
    const risePid = rise.child.pid as number;
    const [victim, ...others] = childrenMatching(risePid, command);
    expect(victim, `one ${name} child of npm start`).toBeDefined();
    expect(others).toEqual([]);
    const sentBefore = load.samples.length;
    process.kill(victim!, 'SIGKILL');
    const successor = await waitFor(
      async () => {
        const [pid] = childrenMatching(risePid, command);
        if (pid === undefined || pid === victim) return null;
        return rise.stdout().includes(`[rise] ${name} restarted (pid ${pid})`) && (await answering())
          ? pid
          : null;
      },
      {
        description: `${name} to be back`,
        timeoutMs: BACK_WITHIN_MS,
        intervalMs: 100,
        context: () => rise.output(),
      },
    );
    knownPids.add(successor);
    expect(rise.stdout()).toContain(
      `[rise] ${name} (pid ${victim}) exited unexpectedly (signal SIGKILL) after `,
    );
    // The app kept being asked throughout.
    await waitFor(
      async () => load.samples.length >= sentBefore + 40,
      withRiseOutput('more requests to the app', 60_000),
    );
  }

  it('restarts the worker after kill -9', async () => {
    const readyBefore = rise.stdout().split('[worker] worker ready').length;
    await killAndAwaitRestart(
      'worker',
      'dist/worker.mjs',
      async () => rise.stdout().split('[worker] worker ready').length > readyBefore,
    );
  }, 90_000);

  it('restarts the web server after kill -9', async () => {
    await killAndAwaitRestart('web', 'next-server', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
        signal: AbortSignal.timeout(2_000),
      }).catch(() => null);
      return response?.status === 200;
    });
  }, 90_000);

  it('restarts Caddy after kill -9, with its routes', async () => {
    const config = JSON.parse(readFileSync(path.join(dataDir, 'caddy', 'caddy.json'), 'utf8'));
    const admin = `http://${config.admin.listen}`;
    await killAndAwaitRestart('caddy', 'caddy run', async () => {
      const response = await fetch(`${admin}/config/`, { signal: AbortSignal.timeout(2_000) }).catch(
        () => null,
      );
      return response?.status === 200;
    });
    // Resumed from its autosave: the project's route is there before any reconcile.
    const routes = await (await fetch(`${admin}/config/apps/http/servers/rise/routes`)).json();
    expect(JSON.stringify(routes)).toContain(`rise-project-${project}`);
    expect(rise.stdout()).toContain('[rise] apps edge: Caddy is not answering');
  }, 90_000);

  it('restarts the registry after kill -9', async () => {
    await killAndAwaitRestart('registry', 'docker-registry', async () => {
      const response = await fetch(`http://${registryHost}/v2/`, {
        signal: AbortSignal.timeout(2_000),
      }).catch(() => null);
      return response?.status === 401;
    });
  }, 90_000);

  it('lost no request of the app meanwhile', async () => {
    const stats = loadStats(await load.stop(), (body) => body.trim() === version);
    console.log(
      `supervisor: ${stats.sent} GETs through the apps edge, ${stats.ok} ok, ${stats.failed} failed`,
    );
    expect(stats.failures.slice(0, 5)).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(0);
    // Caddy's own output went to its log file, not to the terminal.
    expect(rise.stdout()).not.toContain('"level":');
    expect(readFileSync(path.join(dataDir, 'caddy', 'caddy.log'), 'utf8')).toContain('"level":');
  });

  it('on Ctrl+C stops web and worker first, then Caddy and the registry, PostgreSQL last', async () => {
    const children = descendants(rise.child.pid as number);
    for (const child of children) knownPids.add(child);
    // As a terminal does: SIGINT to the whole foreground process group.
    process.kill(-(rise.child.pid as number), 'SIGINT');
    expect(await rise.waitForExit(60_000), rise.output()).toBe(0);
    const out = rise.stdout();
    const at = (line: string) => {
      const index = out.indexOf(`[rise] ${line}\n`);
      expect(index, `"${line}" in\n${rise.output()}`).toBeGreaterThan(-1);
      return index;
    };
    const control = Math.max(at('web stopped'), at('worker stopped'));
    const infrastructure = [at('caddy stopped'), at('registry stopped')];
    expect(Math.min(...infrastructure)).toBeGreaterThan(control);
    expect(at('PostgreSQL stopped')).toBeGreaterThan(Math.max(...infrastructure));
    expect(at('stopped')).toBeGreaterThan(at('PostgreSQL stopped'));
    // Stopped by the supervisor (SIGTERM), not by the terminal's SIGINT; its database still up meanwhile.
    expect(out).toContain('[worker] SIGTERM received');
    expect(out).not.toContain('[worker] SIGINT received');
    expect(rise.output()).not.toContain('terminating connection due to administrator command');
    expect(out.slice(out.indexOf('[rise] stopping...'))).not.toContain('exited unexpectedly');
    expect(children.filter(isAlive)).toEqual([]);
  }, 90_000);

  it(
    'a second start on the same data directory says to sign in, and serves the app again',
    async () => {
      const again = startRise(env);
      started.push(again);
      rise = again;
      await waitFor(async () => {
        const answer = await httpRequest({ port: appsPort, host: appHost, timeoutMs: 5_000 });
        return answer.status === 200 && answer.body.trim() === version;
      }, withRiseOutput('the app at its public URL after a new start'));
      expect(again.stdout()).toContain(`[rise] Sign in at http://localhost:${port}/signin with your account`);
      expect(again.stdout()).not.toContain('Create the first account');
      again.child.kill('SIGINT');
      expect(await again.waitForExit(60_000), again.output()).toBe(0);
    },
    START_TIMEOUT,
  );
});

describe('npm start with a port already taken', () => {
  it('refuses the apps port held by another Caddy (which would share it silently)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-supervisor-taken-'));
    tempDirs.push(dataDir);
    const other = await startCaddy();
    try {
      const taken = await freePort();
      const response = await fetch(`${other.adminUrl}/config/apps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          http: {
            servers: {
              other: {
                listen: [`127.0.0.1:${taken}`],
                automatic_https: { disable: true },
                routes: [{ handle: [{ handler: 'static_response', body: 'another Caddy' }] }],
              },
            },
          },
        }),
      });
      expect(response.status).toBe(200);
      const port = await freePort();
      const rise = startRise(
        startEnv({
          RISE_DATA_DIR: dataDir,
          PORT: String(port),
          RISE_URL: `http://127.0.0.1:${port}`,
          RISE_PROXY_HTTP_PORT: String(taken),
          RISE_REGISTRY_HOST: `127.0.0.1:${await freePort()}`,
        }),
      );
      started.push(rise);
      expect(await rise.waitForExit(30_000), rise.output()).toBe(1);
      expect(rise.stderr()).toContain(
        `[rise] failed to start: port ${taken} on 127.0.0.1 (RISE_PROXY_HTTP_PORT, where apps are served) is already in use`,
      );
      expect(rise.stderr()).toContain(`RISE_PROXY_HTTP_PORT=${taken + 1} npm start`);
      expect(rise.stdout()).not.toContain('starting embedded PostgreSQL');
    } finally {
      await other.stop();
    }
  }, 60_000);

  it("refuses the web server's PORT", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rise-supervisor-taken-'));
    tempDirs.push(dataDir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const rise = startRise(
        startEnv({
          RISE_DATA_DIR: dataDir,
          PORT: String(taken),
          RISE_URL: `http://127.0.0.1:${taken}`,
          RISE_PROXY_HTTP_PORT: String(await freePort()),
          RISE_REGISTRY_HOST: `127.0.0.1:${await freePort()}`,
        }),
      );
      started.push(rise);
      expect(await rise.waitForExit(30_000), rise.output()).toBe(1);
      expect(rise.stderr()).toContain(
        `[rise] failed to start: port ${taken} on 127.0.0.1 (PORT, the web server's) is already in use`,
      );
      expect(rise.stdout()).not.toContain('starting embedded PostgreSQL');
    } finally {
      blocker.close();
    }
  }, 60_000);
});
