import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { ProjectNetworks } from '@/server/docker/docker-network';
import { labelKeys } from '@/server/docker/labels';
import type { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { projectRouteId } from '@/server/proxy/routes';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks, TEST_SUBNET_POOL } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { getThroughProxy } from '../../../../test/http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import { deploymentEvents } from './deployment-logs';
import type { EngineDeps } from './engine-deps';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';

// The reconciler and cancellation against the real Docker engine and Caddy, called in-process; as the
// worker does, over the Docker projects only (other test files run Kubernetes projects meanwhile).

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;
let v1 = '';
let unhealthy = '';

beforeAll(async () => {
  [v1, unhealthy] = await Promise.all([
    buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' }),
    buildTestAppImage({ tag: 'rise-test-app:unhealthy', version: 'unhealthy', healthy: false }),
  ]);
  caddy = await startCaddy();
  const portBase = 20000 + (Number.parseInt(runId, 16) % 120) * 100;
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, network),
    caddy,
    portRange: [portBase, portBase + 99],
    settings: { stuckAfterMs: 60_000 },
  });
  owner = await createUser();
}, 180_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

async function projectWithDeployment(image: string) {
  const name = `rec-${runId}-${randomBytes(2).toString('hex')}`;
  await apiAs(userCaller(owner)).project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  // As deployment.create does: the project is meant to run.
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    // Local images run only for the project they are labelled for.
    image: await imageForProject(image, name, docker),
  });
  return { name, project, deployment };
}

const status = async (id: string) => (await deploymentRepo.findById(id))?.status;

describe('reconciler', () => {
  it('restarts a crashed app with backoff, then marks it healthy again (its count kept until it runs stable)', async () => {
    const { name, deployment } = await projectWithDeployment(v1);
    await runDeployment(deps, deployment.id);
    expect(await status(deployment.id)).toBe('healthy');
    await docker.getContainer(`rise-${name}-${deployment.id}`).stop({ t: 0 });

    const first = await reconcile(deps, undefined, { runtime: 'docker' });
    expect(first.restarted).toBe(1);
    const crashed = await deploymentRepo.findById(deployment.id);
    expect(crashed).toMatchObject({ status: 'unhealthy', restartCount: 1 });
    expect(crashed!.nextRestartAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);

    const second = await reconcile(deps, undefined, { runtime: 'docker' });
    expect(second).toMatchObject({ restarted: 0, recovered: 1 });
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({
      status: 'healthy',
      restartCount: 1,
    });
    expect((await getThroughProxy(caddy.httpPort, `${name}.localhost`)).body.trim()).toBe('v1');
  }, 120_000);

  it('removes its own containers that no deployment owns, and nothing else', async () => {
    // Named and labelled as Rise names its containers, for a deployment that does not exist.
    const orphanName = `rise-ghost-${runId}-20200101-0000-gone`;
    const foreignName = `not-rise-${runId}`;
    const otherInstance = `rise-ghost-${runId}-20200101-0000-othr`;
    const ghost = { 'dev.rise.project': `ghost-${runId}`, 'dev.rise.slot': 'a', 'rise.test': runId };
    const containers: [string, Record<string, string>][] = [
      [
        orphanName,
        { ...ghost, 'dev.rise.managed-by': `test-${runId}`, 'dev.rise.deployment': '20200101-0000-gone' },
      ],
      // Another Rise installation's container on the same engine.
      [
        otherInstance,
        { ...ghost, 'dev.rise.managed-by': 'someone-else', 'dev.rise.deployment': '20200101-0000-othr' },
      ],
      [foreignName, { 'rise.test': runId }],
    ];
    for (const [containerName, labels] of containers) {
      await (await docker.createContainer({ name: containerName, Image: v1, Labels: labels })).start();
    }
    const report = await reconcile(deps, undefined, { runtime: 'docker' });
    expect(report.orphansRemoved).toBeGreaterThanOrEqual(1);
    const remaining = (
      await docker.listContainers({ all: true, filters: { label: [`rise.test=${runId}`] } })
    ).flatMap((c) => c.Names);
    expect(remaining).toContain(`/${foreignName}`);
    expect(remaining).toContain(`/${otherInstance}`);
    expect(remaining).not.toContain(`/${orphanName}`);
  }, 60_000);

  it('moves the route off an instance before removing it, when a deploy switched after the route pass', async () => {
    const { name, project, deployment: first } = await projectWithDeployment(v1);
    await runDeployment(deps, first.id);
    const next = await deploymentRepo.create({
      id: newDeploymentId(),
      projectId: project.id,
      status: 'deploying',
      image: first.image,
      imageDigest: (await deploymentRepo.findById(first.id))?.imageDigest ?? null,
    });
    await deploymentRepo.update(next.id, { slot: 'b' });
    const { slotPortA, slotPortB } = await getDb().project.findUniqueOrThrow({ where: { id: project.id } });
    const routeDials = async () => {
      const servers = await (deps.proxy as CaddyProxy).client.getConfig<
        Record<string, { routes?: unknown[] }>
      >('apps/http/servers');
      const route = Object.values(servers)
        .flatMap((server) => server.routes ?? [])
        .find((candidate) => (candidate as { '@id'?: string })['@id'] === projectRouteId(name));
      return JSON.stringify(route ?? null);
    };
    // The deploy of `next` commits its switch just after the reconciler's route pass (as a running
    // deploy can at any moment); the reconciler then finds `first` superseded.
    const removedWhileRouteSaid: string[] = [];
    const runtime = Object.create(deps.runtime) as EngineDeps['runtime'];
    runtime.list = async (filter) => {
      await getDb().$transaction(async (tx) => {
        await deploymentRepo.transition(next.id, 'deploying', 'healthy', {}, tx);
        await tx.project.update({ where: { id: project.id }, data: { activeDeploymentId: next.id } });
        await deploymentRepo.transition(first.id, ['healthy'], 'superseded', {}, tx);
      });
      runtime.list = deps.runtime.list.bind(deps.runtime);
      return deps.runtime.list(filter);
    };
    runtime.remove = async (projectName, deploymentId, options) => {
      if (deploymentId === first.id) removedWhileRouteSaid.push(await routeDials());
      return deps.runtime.remove(projectName, deploymentId, options);
    };
    await reconcile({ ...deps, runtime }, undefined, { runtime: 'docker' });
    expect(removedWhileRouteSaid).toHaveLength(1);
    expect(removedWhileRouteSaid[0]).toContain(`127.0.0.1:${slotPortB}`);
    expect(removedWhileRouteSaid[0]).not.toContain(`127.0.0.1:${slotPortA}`);
  });

  it('removes the networks of projects that no longer exist, not those of existing projects', async () => {
    const { project } = await projectWithDeployment(v1);
    const networks = new ProjectNetworks({
      docker,
      base: network,
      labels: labelKeys('dev.rise', `test-${runId}`),
      extraLabels: { 'rise.test': runId },
      subnetPool: TEST_SUBNET_POOL,
    });
    // Left by a project whose delete job never removed it (the worker died, say).
    const ghost = await networks.ensure(`ghost-${runId}`);
    const kept = await networks.ensure(project.name);
    const report = await reconcile(deps, undefined, { runtime: 'docker' });
    expect(report.projectResourcesRemoved).toBeGreaterThanOrEqual(1);
    const names = (await docker.listNetworks({ filters: { label: [`rise.test=${runId}`] } })).map(
      (n) => n.Name,
    );
    expect(names).not.toContain(ghost);
    expect(names).toContain(kept);
  }, 60_000);

  it('fails deployments stuck in progress past the timeout', async () => {
    const { deployment } = await projectWithDeployment(v1);
    await getDb()
      .$executeRaw`UPDATE deployments SET status = 'deploying', updated_at = now() - interval '2 hours' WHERE id = ${deployment.id}`;
    expect((await reconcile(deps, undefined, { runtime: 'docker' })).stuckFailed).toBe(1);
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({
      status: 'failed',
      terminationReason: 'expired',
    });
  }, 60_000);

  it('re-creates routes that Caddy lost', async () => {
    const { name, deployment } = await projectWithDeployment(v1);
    await runDeployment(deps, deployment.id);
    await caddy.restart();
    expect((await reconcile(deps, undefined, { runtime: 'docker' })).routesUpserted).toBeGreaterThan(0);
    expect((await getThroughProxy(caddy.httpPort, `${name}.localhost`)).body.trim()).toBe('v1');
  }, 60_000);
});

describe('cancelling a running deployment', () => {
  it('stops the health wait, removes the instance and ends cancelled', async () => {
    const { name, deployment } = await projectWithDeployment(unhealthy);
    const running = runDeployment(deps, deployment.id);
    await expect
      .poll(
        async () =>
          (await getDb().deploymentEvent.findMany({ where: { deploymentId: deployment.id } }))
            .map((e) => e.message)
            .join('\n'),
        {
          timeout: 30_000,
          interval: 200,
        },
      )
      .toContain('Waiting for GET /health');
    const cancelled = await apiAs(userCaller(owner)).deployment.cancel({
      project: name,
      deployment: deployment.id,
    });
    expect(cancelled.status).toBe('cancelling');
    await running;
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({
      status: 'cancelled',
      terminationReason: 'cancelled',
    });
    expect(await deps.runtime.list({ project: name })).toEqual([]);

    const entries = [];
    for await (const entry of deploymentEvents(deployment.id, { follow: true })) entries.push(entry);
    expect(entries.filter((e) => e.type === 'status')).toEqual([{ type: 'status', status: 'cancelled' }]);
    expect(
      entries.filter((e) => e.type === 'event').map((e) => (e as { message: string }).message),
    ).toContain('Deployment cancelled');
  }, 90_000);
});
