import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, userCaller } from '../../../../test/fixtures';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { deploymentRepo } from '../deployments/deployment.repo';
import { newDeploymentId } from '../deployments/deployment-id';
import type { EngineDeps } from '../deployments/engine-deps';
import { runDeployment } from '../deployments/run-deployment';
import { type HealthWatchDeps, watchAppHealth } from './health-watch.service';

// The health watch against a real app container deployed in-process by the deploy engine (real Docker
// engine, Caddy and PostgreSQL). The app's /health is a file busybox httpd serves: removing it with
// `docker exec` makes the health path answer 404 while the container keeps running. Minute checks are
// run back to back with the clock the service is given.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
const MINUTE = 60_000;
const FAILING_AFTER = 3;
let caddy: TestCaddy;
let deps: EngineDeps;
let projectId = '';
let deploymentId = '';
let container: Dockerode.Container;
const start = Math.floor(Date.now() / MINUTE) * MINUTE;
let minute = 0;

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
  const owner = await createUser();
  const name = `health-${runId}`;
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
  container = docker.getContainer(`rise-${name}-${deploymentId}`);
}, 180_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

const watchDeps = (at: Date): HealthWatchDeps => ({
  engineOf: () => ({ runtime: deps.runtime, upstreamMode: deps.settings.upstreamMode, timeoutMs: 2000 }),
  runtimes: ['docker'],
  failingAfter: FAILING_AFTER,
  now: () => at,
});

/** One minute check, a minute after the previous one. */
const check = () => watchAppHealth(watchDeps(new Date(start + ++minute * MINUTE)));

async function exec(cmd: string[]) {
  const run = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({});
  await new Promise((resolve) => {
    stream.on('end', resolve);
    stream.resume();
  });
  expect((await run.inspect()).ExitCode).toBe(0);
}
const breakHealth = () => exec(['/bin/busybox', 'rm', '/www/health']);
const repairHealth = () => exec(['/bin/busybox', 'sh', '-c', 'echo ok > /www/health']);

const raised = () => getDb().notificationEvent.findMany({ where: { projectId, kind: 'app.health-failing' } });
const events = async () =>
  (await getDb().deploymentEvent.findMany({ where: { deploymentId }, orderBy: { id: 'asc' } })).filter(
    (event) => event.message.startsWith('Health check'),
  );
const state = () =>
  getDb().deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    select: { healthFailures: true, healthFailingSince: true },
  });

describe('health watch of a running app', () => {
  it('raises nothing while the health path answers', async () => {
    for (let i = 0; i < FAILING_AFTER + 1; i++) {
      expect(await check()).toEqual({ checked: 1, failing: 0, raised: 0, recovered: 0 });
    }
    expect(await raised()).toHaveLength(0);
    expect(await events()).toHaveLength(0);
  });

  it('raises app.health-failing once when the health path failed N minute checks in a row', async () => {
    await breakHealth();
    expect((await container.inspect()).State.Running).toBe(true);
    for (let i = 1; i < FAILING_AFTER; i++) {
      expect(await check()).toEqual({ checked: 1, failing: 1, raised: 0, recovered: 0 });
    }
    // The same minute again is not another failing check.
    expect((await watchAppHealth(watchDeps(new Date(start + minute * MINUTE)))).raised).toBe(0);
    expect(await state()).toMatchObject({ healthFailures: FAILING_AFTER - 1, healthFailingSince: null });
    expect(await raised()).toHaveLength(0);

    expect(await check()).toEqual({ checked: 1, failing: 1, raised: 1, recovered: 0 });
    // The streak goes on: nothing more is raised.
    expect(await check()).toEqual({ checked: 1, failing: 1, raised: 0, recovered: 0 });
    const [event] = await raised();
    expect(await raised()).toHaveLength(1);
    expect(event).toMatchObject({ title: `health-${runId} is failing its health check` });
    expect(event!.details).toMatchObject({
      deploymentId,
      healthPath: '/health',
      error: 'GET /health returned 404',
      failures: FAILING_AFTER,
    });
    const written = await events();
    expect(written.map((item) => [item.level, item.message])).toEqual([
      [
        'warn',
        `Health check failing: GET /health returned 404 (${FAILING_AFTER} checks in a row, one a minute); the container still runs`,
      ],
    ]);
    expect((await state()).healthFailingSince).not.toBeNull();
  });

  it('writes an info event when the health path passes again, and a later streak raises again', async () => {
    await repairHealth();
    expect(await check()).toEqual({ checked: 1, failing: 0, raised: 0, recovered: 1 });
    expect(await check()).toEqual({ checked: 1, failing: 0, raised: 0, recovered: 0 });
    expect(await state()).toEqual({ healthFailures: 0, healthFailingSince: null });
    expect((await events()).map((item) => [item.level, item.message]).at(-1)).toEqual([
      'info',
      'Health check passes again',
    ]);

    await breakHealth();
    // One failing check, one passing: the streak starts over.
    expect((await check()).failing).toBe(1);
    await repairHealth();
    expect((await check()).failing).toBe(0);
    await breakHealth();
    for (let i = 1; i < FAILING_AFTER; i++) expect((await check()).raised).toBe(0);
    expect(await raised()).toHaveLength(1);
    expect((await check()).raised).toBe(1);
    expect(await raised()).toHaveLength(2);
    expect((await events()).map((item) => item.level)).toEqual(['warn', 'info', 'warn']);
  });

  it('leaves a stopped container to the reconciler: its check counts neither way', async () => {
    const before = await state();
    await container.stop({ t: 0 });
    expect(await check()).toEqual({ checked: 0, failing: 0, raised: 0, recovered: 0 });
    expect(await state()).toEqual(before);
  });
});
