import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as forwardAuth } from '@/app/api/proxy/auth/route';
import { getDb } from '@/server/db';
import { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { startCaddy, type TestCaddy, testCaddyProxyConfig } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, userCaller } from '../../../../test/fixtures';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { projectSeries } from '../app-metrics/app-metrics-read.service';
import type { EngineDeps } from '../deployments/engine-deps';
import { runDeployment } from '../deployments/run-deployment';
import { instanceProbe } from './instance-probe';
import { probeThroughProxy } from './proxy-probe';
import { checkRunningApps } from './uptime.service';

// Uptime of previews and private apps against real Docker, Caddy and PostgreSQL: apps deployed
// in-process by the deploy engine, private ones behind Rise's own forward-auth endpoint (its route
// handler, served on a local port as the web server serves it).

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const MINUTE = 60_000;
const PREVIEW = 'mr/7';
let caddy: TestCaddy;
let authServer: Server;
let deps: EngineDeps;
const publicApp = `up-pub-${runId}`;
const privateApp = `up-priv-${runId}`;
const ids: Record<string, string> = {};

/** Rise's forward-auth route handler on a plain HTTP server, where Caddy's forward_auth asks. */
function serveForwardAuth(): Promise<Server> {
  const server = createServer((request, response) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers))
      if (typeof value === 'string') headers.set(key, value);
    forwardAuth(new Request(`http://127.0.0.1${request.url ?? '/'}`, { headers })).then(
      async (answer) => {
        response.writeHead(answer.status, Object.fromEntries(answer.headers));
        response.end(Buffer.from(await answer.arrayBuffer()));
      },
      (error: Error) => {
        response.writeHead(500);
        response.end(error.message);
      },
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function deploy(project: string, version: string, group?: string) {
  const api = apiAs(userCaller(owner));
  const image = await buildTestAppImage({ tag: `rise-test-app:${version}`, version });
  const created = await api.deployment.create({
    project,
    image: await imageForProject(image, project, docker),
    ...(group ? { group } : {}),
  });
  await runDeployment(deps, created.id);
  expect(await api.deployment.get({ project, deployment: created.id })).toMatchObject({ status: 'healthy' });
  return created;
}

let owner: Awaited<ReturnType<typeof createUser>>;
let minute = Math.floor(Date.now() / MINUTE) * MINUTE;

/** One uptime pass, a minute after the previous one, as the worker's handler runs it. */
function check() {
  minute += MINUTE;
  const at = new Date(minute);
  const target = { address: '127.0.0.1', port: caddy.httpPort, tls: false };
  return checkRunningApps({
    // Caddy keeps trying a down upstream for 5 s (routes.ts) before it answers 502.
    probe: (host) => probeThroughProxy(target, host, 10_000),
    probeInstance: instanceProbe(
      (instance) => (deps.runtime as ReturnType<typeof testDockerRuntime>).instanceAddress(instance),
      5_000,
    ),
    hostOf: (project) => `${project}.localhost`,
    runtimes: ['docker'],
    now: () => at,
  });
}

const checksOf = async (project: string) =>
  getDb().uptimeCheck.findMany({
    where: { project: { name: project } },
    orderBy: [{ at: 'asc' }, { group: 'asc' }],
    select: { group: true, upChecks: true, statusCode: true, error: true },
  });

beforeAll(async () => {
  caddy = await startCaddy();
  authServer = await serveForwardAuth();
  const authPort = (authServer.address() as AddressInfo).port;
  const { first } = await claimPortBlock();
  deps = {
    ...testEngineDeps({
      docker,
      runtime: testDockerRuntime(runId, `rise-test-${runId}`),
      caddy,
      portRange: [first, first + 99],
      settings: { settleMs: 200 },
    }),
    proxy: new CaddyProxy(testCaddyProxyConfig(caddy, authPort)),
  };
  owner = await createUser();
  const api = apiAs(userCaller(owner));
  for (const [name, visibility] of [
    [publicApp, 'public'],
    [privateApp, 'private'],
  ] as const) {
    await api.project.create({ name, port: TEST_APP_PORT, healthPath: '/health', visibility });
    await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  }
  ids.main = (await deploy(publicApp, 'v1')).id;
  ids.preview = (await deploy(publicApp, 'pr7', PREVIEW)).id;
  ids.private = (await deploy(privateApp, 'v1')).id;
}, 300_000);

afterAll(async () => {
  await caddy?.stop();
  await new Promise((resolve) => authServer?.close(resolve));
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

describe('uptime of previews and private apps', () => {
  it('checks each preview under its own group and a private app behind its sign-in; a down app behind the wall counts as down', {
    timeout: 180_000,
  }, async () => {
    const previewHost = (await getDb().deploymentGroup.findFirstOrThrow({ where: { name: PREVIEW } })).host;
    const first = await check();
    expect(first).toMatchObject({ down: 0, changed: 0 });
    expect(await checksOf(publicApp)).toEqual([
      { group: 'default', upChecks: 1, statusCode: 200, error: null },
      { group: PREVIEW, upChecks: 1, statusCode: 200, error: null },
    ]);
    // Through Caddy the private app answers Rise's sign-in, never the app; the app itself answers 200.
    const wall = await probeThroughProxy(
      { address: '127.0.0.1', port: caddy.httpPort, tls: false },
      `${privateApp}.localhost`,
      5_000,
    );
    expect([302, 401]).toContain(wall.statusCode);
    expect(await checksOf(privateApp)).toEqual([
      { group: 'default', upChecks: 1, statusCode: 200, error: null },
    ]);

    // The preview's and the private app's instances stop.
    await docker.getContainer(`rise-${publicApp}-${ids.preview}`).stop({ t: 0 });
    await docker.getContainer(`rise-${privateApp}-${ids.private}`).stop({ t: 0 });
    // The sign-in still answers for the private host: through the proxy alone it would look up.
    const stillWall = await probeThroughProxy(
      { address: '127.0.0.1', port: caddy.httpPort, tls: false },
      `${privateApp}.localhost`,
      5_000,
    );
    expect(stillWall.statusCode).toBe(wall.statusCode);
    const second = await check();
    expect(second).toMatchObject({ checked: 3, down: 2, changed: 2 });
    const [publicRows, privateRows] = [await checksOf(publicApp), await checksOf(privateApp)];
    expect(publicRows.slice(2)).toEqual([
      { group: 'default', upChecks: 1, statusCode: 200, error: null },
      { group: PREVIEW, upChecks: 0, statusCode: 502, error: 'answered 502' },
    ]);
    expect(privateRows[1]).toEqual({
      group: 'default',
      upChecks: 0,
      statusCode: null,
      error: 'app behind the sign-in (probed directly): its instance is not running',
    });
    const events = await getDb().notificationEvent.findMany({
      where: { project: { name: { in: [publicApp, privateApp] } } },
      orderBy: { title: 'asc' },
    });
    expect(events.map((event) => [event.kind, event.title])).toEqual([
      ['app.down', `${privateApp} is down`],
      ['app.down', `${publicApp} (preview ${PREVIEW}) is down`],
    ]);
    expect(events[1]!.details).toMatchObject({ host: previewHost, group: PREVIEW, statusCode: 502 });

    // The project's own chart and figures count its URL only, not its preview's downtime.
    const series = await projectSeries(
      (await getDb().project.findUniqueOrThrow({ where: { name: publicApp } })).id,
      '1h',
      new Date(minute + MINUTE),
    );
    expect(series.uptime.map((point) => point.upChecks)).toEqual([1, 1]);
    expect(series.uptimePercent).toBe(100);
  });

  it("a stopped project's URL is no longer checked; its preview, still running, is (and is up again)", {
    timeout: 120_000,
  }, async () => {
    await getDb().project.update({ where: { name: publicApp }, data: { desiredState: 'stopped' } });
    await docker.getContainer(`rise-${publicApp}-${ids.preview}`).start();
    const previewHost = (await getDb().deploymentGroup.findFirstOrThrow({ where: { name: PREVIEW } })).host;
    await expect
      .poll(
        async () =>
          (
            await probeThroughProxy(
              { address: '127.0.0.1', port: caddy.httpPort, tls: false },
              previewHost,
              5_000,
            )
          ).statusCode,
        { timeout: 30_000 },
      )
      .toBe(200);
    const before = (await checksOf(publicApp)).length;
    expect(await check()).toMatchObject({ checked: 2, changed: 1 });
    expect((await checksOf(publicApp)).slice(before)).toEqual([
      { group: PREVIEW, upChecks: 1, statusCode: 200, error: null },
    ]);
    expect(
      await getDb().notificationEvent.count({
        where: {
          project: { name: publicApp },
          kind: 'app.up',
          title: `${publicApp} (preview ${PREVIEW}) is up again`,
        },
      }),
    ).toBe(1);
  });
});
