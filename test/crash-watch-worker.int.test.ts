import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { deploymentRepo } from '@/server/domains/deployments/deployment.repo';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import type { EngineDeps } from '@/server/domains/deployments/engine-deps';
import { runDeployment } from '@/server/domains/deployments/run-deployment';
import { startCaddy, type TestCaddy } from './caddy';
import { removeContainersAndNetworks } from './docker-networks';
import { testDockerRuntime, testEngineDeps } from './engine-deps';
import { apiAs, createUser, userCaller } from './fixtures';
import { buildCrashLoopImage, imageForProject, TEST_APP_PORT } from './images';
import { isolatedEngineEnv } from './isolated-engine-env';
import { waitFor } from './wait';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

// The real worker (`--queues reconcile`), whose scheduled reconcile runs once a minute: an app that
// crashes is restarted within seconds because the worker's crash watch saw Docker's `die` event and
// queued a reconcile. The app is deployed in-process into the worker's installation (same instance
// label, network, Caddy and port range).

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
let caddy: TestCaddy;
let worker: WorkerProcess;
let deps: EngineDeps;
let crashLoop = '';

beforeAll(async () => {
  crashLoop = await buildCrashLoopImage('rise-test-crash-loop:1');
  caddy = await startCaddy();
  const engineEnv = await isolatedEngineEnv(caddy, runId);
  const [first, last] = (engineEnv.RISE_APP_PORT_RANGE ?? '').split('-').map(Number);
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, engineEnv.RISE_DOCKER_NETWORK ?? ''),
    caddy,
    portRange: [first ?? 0, last ?? 0],
  });
  worker = await startWorkerProcess(
    // After the first restart, the next ones wait ten minutes: the app restarts once in this file.
    { ...engineEnv, RISE_WORKER_POLL_SECONDS: '0.5', RISE_RESTART_BACKOFF_MS: '600000' },
    ['--queues', 'reconcile'],
  );
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

describe('the worker crash watch', () => {
  it('restarts a crashed app within seconds of its death, not at the next scheduled reconcile', async () => {
    const owner = await createUser();
    const name = `cww-${runId}`;
    await apiAs(userCaller(owner)).project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
    const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
    const deployment = await deploymentRepo.create({
      id: newDeploymentId(),
      projectId: project.id,
      status: 'pushed',
      image: await imageForProject(crashLoop, name, docker),
    });
    await runDeployment(deps, deployment.id);
    expect((await deploymentRepo.findById(deployment.id))?.status).toBe('healthy');
    const container = docker.getContainer(`rise-${name}-${deployment.id}`);
    const firstStart = (await container.inspect()).State.StartedAt;

    let delay: number | null = null;
    const deadline = Date.now() + 30_000;
    while (delay === null && Date.now() < deadline) {
      const { State } = await container.inspect();
      if (State.StartedAt !== firstStart && State.Running) {
        delay = Date.parse(State.StartedAt) - Date.parse(State.FinishedAt);
      } else await sleep(100);
    }
    expect(delay, `restarted within 30 s\n${worker.output()}`).not.toBeNull();
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThan(5000);
    // The watch, not a scheduled pass that happened to come just then, queued the reconcile.
    await waitFor(
      () => worker.output().includes(`crash watch: ${name} (${deployment.id}) exited with code 1`),
      {
        description: 'the worker logged the crash',
        timeoutMs: 5000,
      },
    );
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({ restartCount: 1, lastExitCode: 1 });
  }, 120_000);
});
