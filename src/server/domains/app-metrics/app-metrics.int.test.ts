import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { deploymentRepo } from '../deployments/deployment.repo';
import { newDeploymentId } from '../deployments/deployment-id';
import type { EngineDeps } from '../deployments/engine-deps';
import { runDeployment } from '../deployments/run-deployment';
import { probeThroughProxy } from '../uptime/proxy-probe';
import { checkRunningApps, downsampleUptime } from '../uptime/uptime.service';
import { downsampleMetrics, sampleRunningApps } from './app-metrics.service';

// Sampling, uptime checks and downsampling against the real Docker engine, Caddy and PostgreSQL, with
// an app deployed in-process by the deploy engine (as reconcile.int.test.ts does).

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;
let name = '';
let projectId = '';
let deploymentId = '';

const HOUR = 3_600_000;
const MINUTE = 60_000;

beforeAll(async () => {
  const image = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  caddy = await startCaddy();
  const portBase = 20000 + (Number.parseInt(runId, 16) % 120) * 100;
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, network),
    caddy,
    portRange: [portBase, portBase + 99],
  });
  owner = await createUser();
  name = `metrics-${runId}`;
  await apiAs(userCaller(owner)).project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  projectId = project.id;
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId,
    status: 'pushed',
    image: await imageForProject(image, name, docker),
  });
  deploymentId = deployment.id;
  await runDeployment(deps, deploymentId);
  expect((await deploymentRepo.findById(deploymentId))?.status).toBe('healthy');
}, 180_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

describe('resource sampling', () => {
  it('writes one minute point per running app with plausible figures', async () => {
    const now = new Date();
    const result = await sampleRunningApps({ runtimeOf: () => deps.runtime, now: () => now });
    expect(result.sampled).toBeGreaterThanOrEqual(1);
    // The same minute again writes nothing more.
    await sampleRunningApps({ runtimeOf: () => deps.runtime, now: () => now });
    const rows = await getDb().appMetricSample.findMany({ where: { projectId } });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ resolution: 'minute', instances: 1, restarts: 0 });
    expect(row!.at.getTime() % MINUTE).toBe(0);
    expect(row!.memoryBytes).toBeGreaterThan(0);
    expect(row!.memoryBytes).toBeLessThan(1024 ** 3);
    expect(row!.cpuPercent).toBeGreaterThanOrEqual(0);
    // The health checks of the deploy went through the app's network interface.
    expect(row!.networkRxBytes).toBeGreaterThan(0);
    expect(row!.networkTxBytes).toBeGreaterThan(0);
  });
});

describe('downsampling', () => {
  it('folds minute points older than 24 h into hourly ones and deletes hourly ones older than 30 days', async () => {
    const now = new Date();
    // An hour that ended more than 24 h ago, and one minute point that is still recent.
    const oldHour = new Date(Math.floor((now.getTime() - 26 * HOUR) / HOUR) * HOUR);
    const point = (at: Date, cpu: number, memory: number, resolution = 'minute') => ({
      projectId,
      resolution,
      at,
      instances: 1,
      cpuPercent: cpu,
      cpuPercentMax: cpu,
      memoryBytes: memory,
      memoryBytesMax: memory,
      memoryLimitBytes: null,
      networkRxBytes: memory / 10,
      networkTxBytes: memory / 20,
      restarts: 0,
    });
    const recent = new Date(now.getTime() - 2 * HOUR);
    await getDb().appMetricSample.deleteMany({ where: { projectId } });
    await getDb().appMetricSample.createMany({
      data: [
        point(new Date(oldHour.getTime() + 5 * MINUTE), 10, 1000),
        point(new Date(oldHour.getTime() + 35 * MINUTE), 30, 3000),
        point(recent, 50, 5000),
        point(new Date(now.getTime() - 31 * 24 * HOUR), 1, 1, 'hour'),
        point(new Date(now.getTime() - 29 * 24 * HOUR), 2, 2, 'hour'),
      ],
    });
    await getDb().uptimeCheck.createMany({
      data: [
        {
          projectId,
          resolution: 'minute',
          at: new Date(oldHour.getTime() + MINUTE),
          checks: 1,
          upChecks: 1,
          responseMs: 10,
        },
        {
          projectId,
          resolution: 'minute',
          at: new Date(oldHour.getTime() + 2 * MINUTE),
          checks: 1,
          upChecks: 0,
        },
        {
          projectId,
          resolution: 'minute',
          at: new Date(oldHour.getTime() + 3 * MINUTE),
          checks: 1,
          upChecks: 1,
          responseMs: 30,
        },
        {
          projectId,
          resolution: 'hour',
          at: new Date(now.getTime() - 40 * 24 * HOUR),
          checks: 60,
          upChecks: 60,
        },
      ],
    });

    await downsampleMetrics(now);
    await downsampleUptime(now);

    const rows = await getDb().appMetricSample.findMany({ where: { projectId }, orderBy: { at: 'asc' } });
    expect(
      rows.map((row) => [
        row.resolution,
        row.at.toISOString(),
        row.cpuPercent,
        row.cpuPercentMax,
        row.memoryBytes,
        row.memoryBytesMax,
      ]),
    ).toEqual([
      ['hour', new Date(now.getTime() - 29 * 24 * HOUR).toISOString(), 2, 2, 2, 2],
      ['hour', oldHour.toISOString(), 20, 30, 2000, 3000],
      ['minute', recent.toISOString(), 50, 50, 5000, 5000],
    ]);
    expect(rows[1]!.networkRxBytes).toBe(300);
    const checks = await getDb().uptimeCheck.findMany({ where: { projectId }, orderBy: { at: 'asc' } });
    expect(
      checks.map((row) => [
        row.resolution,
        row.at.toISOString(),
        row.checks,
        row.upChecks,
        row.responseMs,
        row.responseMsMax,
      ]),
    ).toEqual([['hour', oldHour.toISOString(), 3, 2, 20, 30]]);
    // Running it again changes nothing.
    await downsampleMetrics(now);
    expect(await getDb().appMetricSample.count({ where: { projectId } })).toBe(3);
  });
});

describe('uptime', () => {
  it('marks the app up, then down once its container stops (app.down once), then up again (app.up)', {
    timeout: 120_000,
  }, async () => {
    await getDb().uptimeCheck.deleteMany({ where: { projectId } });
    const target = { address: '127.0.0.1', port: caddy.httpPort, tls: false };
    let minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    const check = () => {
      minute += MINUTE;
      const at = new Date(minute);
      return checkRunningApps({
        // Caddy keeps trying a down upstream for 5 s (routes.ts) before it answers 502.
        probe: (host) => probeThroughProxy(target, host, 10_000),
        // A public app: its check goes through the proxy only.
        probeInstance: async () => {
          throw new Error('a public app is not probed directly');
        },
        hostOf: (project) => `${project}.localhost`,
        runtimes: ['docker'],
        now: () => at,
      });
    };
    const notifications = () =>
      getDb().notificationEvent.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } });
    const last = () => getDb().uptimeCheck.findFirst({ where: { projectId }, orderBy: { at: 'desc' } });

    await check();
    expect(await last()).toMatchObject({ resolution: 'minute', checks: 1, upChecks: 1, statusCode: 200 });
    expect((await last())!.responseMs).toBeGreaterThan(0);
    expect(await notifications()).toEqual([]);

    const container = docker.getContainer(`rise-${name}-${deploymentId}`);
    await container.stop({ t: 0 });
    await check();
    const down = await last();
    expect(down).toMatchObject({ upChecks: 0, responseMs: null });
    expect(down).toMatchObject({ statusCode: 502, error: 'answered 502' });
    await check();
    expect((await notifications()).map((event) => event.kind)).toEqual(['app.down']);
    expect((await notifications())[0]).toMatchObject({ title: `${name} is down` });

    await container.start();
    await expect
      .poll(async () => (await probeThroughProxy(target, `${name}.localhost`, 5_000)).up, { timeout: 30_000 })
      .toBe(true);
    await check();
    expect(await last()).toMatchObject({ upChecks: 1, statusCode: 200 });
    await check();
    expect((await notifications()).map((event) => event.kind)).toEqual(['app.down', 'app.up']);
    expect(await getDb().uptimeCheck.count({ where: { projectId } })).toBe(5);
  });
});
