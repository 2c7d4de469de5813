import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { deploymentRepo } from '../deployments/deployment.repo';
import { newDeploymentId } from '../deployments/deployment-id';
import type { EngineDeps } from '../deployments/engine-deps';
import { runDeployment } from '../deployments/run-deployment';
import { scaleProject } from '../deployments/scale-project';
import { listProjectProcesses } from './process.service';

// From `.rise.toml` `[processes]` to running containers and back, on real Docker and Caddy: the
// processes `rise d c` stores (project.setProcesses) are what a deployment starts, `rise ps`
// (project.processes) shows each instance, and `rise scale` (project.scale, then the project-scale job)
// changes the running instances without a redeploy.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const name = `procs-${runId}`;
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;

const api = () => apiAs(userCaller(owner));
// The test image has busybox alone (no /bin/sh): the worker's shell by argument vector.
const WORKER = ['/bin/busybox', 'sh', '-c', 'echo worker up; exec /bin/busybox sleep 3600'];

/** `rise ps` as counts: process → replica numbers of running instances. */
async function running() {
  const project = await getDb().project.findUniqueOrThrow({ where: { name } });
  const { processes } = await listProjectProcesses(deps.runtime, project);
  return Object.fromEntries(
    processes.map((process) => [
      process.name,
      {
        desired: process.replicas,
        running: process.instances
          .filter((instance) => instance.state === 'running')
          .map((instance) => instance.replica),
      },
    ]),
  );
}

beforeAll(async () => {
  const image = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  caddy = await startCaddy();
  const { first } = await claimPortBlock();
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, `rise-test-${runId}`),
    caddy,
    portRange: [first, first + 99],
  });
  owner = await createUser();
  await api().project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  await api().project.setProcesses({ project: name, processes: { worker: { command: WORKER } } });
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(image, name, docker),
  });
  await runDeployment(deps, deployment.id);
  expect((await deploymentRepo.findById(deployment.id))?.status).toBe('healthy');
}, 180_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

describe('processes on Docker', () => {
  it('a deployment runs web and the declared worker; project.processes shows each instance', async () => {
    expect(await running()).toEqual({
      web: { desired: 1, running: [0] },
      worker: { desired: 1, running: [0] },
    });
  });

  it('project.scale then the project-scale job: more instances of each, without a redeploy', async () => {
    const project = await getDb().project.findUniqueOrThrow({ where: { name } });
    const result = await api().project.scale({ project: name, counts: { web: 2, worker: 3 } });
    expect(result.applying).toBe(true);
    await scaleProject(deps, project.id);
    expect(await running()).toEqual({
      web: { desired: 2, running: [0, 1] },
      worker: { desired: 3, running: [0, 1, 2] },
    });
    // The same deployment: no redeploy happened.
    expect((await getDb().project.findUniqueOrThrow({ where: { name } })).activeDeploymentId).toBe(
      project.activeDeploymentId,
    );
  }, 120_000);

  it('scaling a worker to 0 stops its instances; web back to 1', async () => {
    const project = await getDb().project.findUniqueOrThrow({ where: { name } });
    await api().project.scale({ project: name, counts: { web: 1, worker: 0 } });
    await scaleProject(deps, project.id);
    expect(await running()).toEqual({
      web: { desired: 1, running: [0] },
      worker: { desired: 0, running: [] },
    });
  }, 120_000);
});
