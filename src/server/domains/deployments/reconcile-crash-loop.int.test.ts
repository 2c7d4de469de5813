import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import {
  buildCrashLoopImage,
  buildTestAppImage,
  imageForProject,
  TEST_APP_PORT,
} from '../../../../test/images';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import type { EngineDeps } from './engine-deps';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';

// Crash restarts against the real Docker engine, with the reconciler called in-process as the worker
// calls it (over the Docker projects only), but every 200 ms instead of every minute: the restart
// schedule is the reconciler's alone (Docker's restart policy is `no`), so the intervals between an
// app's starts are the backoff's.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
const BACKOFF = { initialMs: 1000, maxMs: 8000 };
const STABLE_AFTER_MS = 120_000;
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;
let crashLoop = '';
let v1 = '';

beforeAll(async () => {
  [crashLoop, v1] = await Promise.all([
    buildCrashLoopImage('rise-test-crash-loop:1'),
    buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' }),
  ]);
  caddy = await startCaddy();
  const portBase = 20000 + (Number.parseInt(runId, 16) % 120) * 100;
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, network),
    caddy,
    portRange: [portBase, portBase + 99],
    settings: {
      stuckAfterMs: 60_000,
      restartBackoff: BACKOFF,
      crashLoop: { restarts: 3, stableAfterMs: STABLE_AFTER_MS },
    },
  });
  owner = await createUser();
}, 180_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

async function deployed(image: string) {
  const name = `crl-${runId}-${randomBytes(2).toString('hex')}`;
  await apiAs(userCaller(owner)).project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(image, name, docker),
  });
  await runDeployment(deps, deployment.id);
  expect((await deploymentRepo.findById(deployment.id))?.status).toBe('healthy');
  return { name, project, deployment, container: docker.getContainer(`rise-${name}-${deployment.id}`) };
}

const notifications = (projectId: string, kind: string) =>
  getDb().notificationEvent.findMany({ where: { projectId, kind } });

describe('crash restarts', () => {
  it('restarts a crash-looping app ever more slowly and marks it crash-looping once', async () => {
    const { project, deployment, container } = await deployed(crashLoop);
    const starts = [(await container.inspect()).State.StartedAt];
    const deadline = Date.now() + 60_000;
    // The deploy's start, then four restarts.
    while (starts.length < 5 && Date.now() < deadline) {
      await reconcile(deps, undefined, { runtime: 'docker' });
      const { StartedAt } = (await container.inspect()).State;
      if (StartedAt !== starts.at(-1)) starts.push(StartedAt);
      await sleep(200);
    }
    expect(starts).toHaveLength(5);
    const times = starts.map((at) => Date.parse(at));
    const intervals = times.slice(1).map((at, i) => at - (times[i] ?? at));
    // Restart 1 follows the first crash at once; restart n+1 comes no earlier than initial × 2^(n-1)
    // after restart n (1 s, 2 s, 4 s), though the app dies 1 s after each start.
    for (const [n, interval] of intervals.slice(1).entries()) {
      expect(interval, `interval after restart ${n + 1} of ${intervals}`).toBeGreaterThanOrEqual(
        BACKOFF.initialMs * 2 ** n,
      );
    }
    expect(intervals[3]).toBeGreaterThan(intervals[1] ?? 0);
    expect((await container.inspect()).HostConfig.RestartPolicy?.Name).toBe('no');

    const row = await getDb().deployment.findUniqueOrThrow({ where: { id: deployment.id } });
    expect(row.restartCount).toBe(4);
    expect(row.crashLoopSince).not.toBeNull();
    expect(row.lastExitCode).toBe(1);
    expect(row.lastCrashLog).toContain('fatal: lost the database');
    expect(await notifications(project.id, 'app.crash-looping')).toHaveLength(1);
    // The first crash is told; later ones only as restarts until the loop is declared.
    expect(await notifications(project.id, 'app.crashed')).toHaveLength(1);
    expect(await notifications(project.id, 'app.restarted')).toHaveLength(2);
  }, 120_000);

  it('resets the restart count only after the app ran for the stable period', async () => {
    const { deployment, container } = await deployed(v1);
    // A host or daemon restart leaves the container stopped (restart policy `no`): the reconciler
    // brings it back.
    await container.stop({ t: 0 });
    expect((await reconcile(deps, undefined, { runtime: 'docker' })).restarted).toBe(1);
    expect((await container.inspect()).State.Running).toBe(true);
    // Running again: healthy, but the count stays until the app proves stable.
    expect((await reconcile(deps, undefined, { runtime: 'docker' })).recovered).toBe(1);
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({
      status: 'healthy',
      restartCount: 1,
    });
    // As if it had been crash-looping before.
    await getDb().deployment.update({ where: { id: deployment.id }, data: { crashLoopSince: new Date() } });

    const startedAt = Date.parse((await container.inspect()).State.StartedAt);
    await reconcile(deps, new Date(startedAt + STABLE_AFTER_MS - 1000), { runtime: 'docker' });
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({ restartCount: 1 });
    expect((await deploymentRepo.findById(deployment.id))?.crashLoopSince).not.toBeNull();

    await reconcile(deps, new Date(startedAt + STABLE_AFTER_MS + 1000), { runtime: 'docker' });
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({
      status: 'healthy',
      restartCount: 0,
      nextRestartAt: null,
      crashLoopSince: null,
    });
  }, 120_000);
});
