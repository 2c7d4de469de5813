import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import Dockerode from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DockerDatabaseHost } from '@/server/databases/docker/docker-database-host';
import type { DatabaseContainerSpec } from '@/server/databases/types';
import { createPrismaClient, type Db, getDb } from '@/server/db';
import { ProjectNetworks } from '@/server/docker/docker-network';
import { formerNetworkPrefix, labelKeys, projectNetworkPrefix } from '@/server/docker/labels';
import { deploymentRepo } from '@/server/domains/deployments/deployment.repo';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import type { EngineDeps } from '@/server/domains/deployments/engine-deps';
import { reconcile } from '@/server/domains/deployments/reconcile';
import { runDeployment } from '@/server/domains/deployments/run-deployment';
import { removeProjectResources } from '@/server/domains/deployments/stop-project';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { canBind } from '@/server/runtime/docker/host-ports';
import { startCaddy, type TestCaddy } from './caddy';
import { buildTestDatabaseImages, TEST_DATABASE_IMAGES } from './database-images';
import { removeInstanceResources, TEST_SUBNET_POOL } from './docker-networks';
import { testEngineDeps } from './engine-deps';
import { apiAs, createUser, userCaller } from './fixtures';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from './images';
import { claimPortBlock } from './port-blocks';
import { databaseUrl } from './postgres-info';
import { waitFor } from './wait';

// Two Rise installations on one Docker engine, as two deploy engines in this process: each has its
// own database (a copy of the migrated template), RISE_INSTANCE_ID, Caddy and network prefix (the
// default for its instance id); both use the same RISE_APP_PORT_RANGE and a project of the same name.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const project = `shared-${runId}`;
const testLabel = { 'rise.test': runId };
const images = { v1: '', v2: '', v3: '' };
let range: { first: number; last: number };
let listener: Server | null = null;

type Installation = { instance: string; db: Db; caddy: TestCaddy; deps: EngineDeps; network: string };
let one: Installation;
let two: Installation;

// Domain code reaches its database through getDb(), i.e. this process-wide client (src/server/db.ts).
const processDb = globalThis as unknown as { riseDb?: Db };

/** Runs `work` as `installation`: every query of the domain code goes to that installation's database. */
async function as<T>(installation: Installation, work: () => Promise<T>): Promise<T> {
  const previous = processDb.riseDb;
  processDb.riseDb = installation.db;
  try {
    return await work();
  } finally {
    processDb.riseDb = previous;
  }
}

async function copyOfTemplateDatabase(): Promise<Db> {
  const info = inject('postgres');
  const name = `rise_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ ...info, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${info.template}`);
  } finally {
    await admin.end();
  }
  return createPrismaClient(databaseUrl(info, name));
}

async function installation(suffix: string, db: Db): Promise<Installation> {
  const instance = `test-${runId}-${suffix}`;
  const caddy = await startCaddy();
  // As src/server/runtime/index.ts does with RISE_DOCKER_NETWORK unset.
  const network = projectNetworkPrefix(undefined, instance);
  const runtime = new DockerRuntime({
    instance,
    network,
    upstreamMode: 'host',
    extraLabels: testLabel,
    subnetPool: TEST_SUBNET_POOL,
  });
  // As src/server/jobs/engine.ts wires the Docker runtime.
  const deps = testEngineDeps({
    docker,
    runtime,
    caddy,
    portRange: [range.first, range.last],
    hostPorts: runtime.hostPorts(),
  });
  return { instance, db, caddy, deps, network };
}

/** Deploys `image` to the installation's project (created on first use) and returns the deployment. */
async function deploy(installation: Installation, image: string) {
  return as(installation, async () => {
    let row = await getDb().project.findUnique({ where: { name: project } });
    if (!row) {
      const owner = await createUser();
      await apiAs(userCaller(owner)).project.create({
        name: project,
        port: TEST_APP_PORT,
        healthPath: '/health',
      });
      row = await getDb().project.update({ where: { name: project }, data: { desiredState: 'running' } });
    }
    const deployment = await deploymentRepo.create({
      id: newDeploymentId(),
      projectId: row.id,
      status: 'pushed',
      image: await imageForProject(image, project, docker),
    });
    await runDeployment(installation.deps, deployment.id);
    const after = await deploymentRepo.findById(deployment.id);
    const events = await getDb().deploymentEvent.findMany({
      where: { deploymentId: deployment.id },
      orderBy: { id: 'asc' },
    });
    const ports = await getDb().project.findUniqueOrThrow({ where: { name: project } });
    return {
      id: deployment.id,
      status: after?.status,
      error: after?.error,
      slot: after?.slot,
      events: events.map((event) => event.message),
      slotPortA: ports.slotPortA,
      slotPortB: ports.slotPortB,
    };
  });
}

const body = async (installation: Installation) =>
  (await getThroughProxy(installation.caddy.httpPort, `${project}.localhost`)).body.trim();

/** The installation's containers of the project, by its own manager label. */
const containersOf = (installation: Installation) =>
  docker.listContainers({
    all: true,
    filters: { label: [`dev.rise.managed-by=${installation.instance}`, `dev.rise.project=${project}`] },
  });

const hostPortsOf = async (installation: Installation) =>
  (await containersOf(installation)).flatMap((container) =>
    (container.Ports ?? []).map((port) => port.PublicPort).filter(Boolean),
  );

beforeAll(async () => {
  const [v1, v2, v3] = await Promise.all([
    buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' }),
    buildTestAppImage({ tag: 'rise-test-app:v2', version: 'v2' }),
    buildTestAppImage({ tag: 'rise-test-app:v3', version: 'v3' }),
  ]);
  Object.assign(images, { v1, v2, v3 });
  range = await claimPortBlock();
  one = await installation('one', getDb());
  two = await installation('two', await copyOfTemplateDatabase());
}, 180_000);

afterAll(async () => {
  listener?.close();
  for (const installed of [one, two]) {
    if (!installed) continue;
    await installed.caddy.stop();
    await removeInstanceResources(docker, installed.instance);
  }
  for (const container of await docker.listContainers({
    all: true,
    filters: { label: [`rise.test=${runId}`] },
  })) {
    await docker.getContainer(container.Id).remove({ force: true });
  }
  for (const volume of (await docker.listVolumes({ filters: { label: [`rise.test=${runId}`] } })).Volumes ??
    []) {
    await docker.getVolume(volume.Name).remove({ force: true });
  }
  await two?.db.$disconnect();
}, 120_000);

describe('app slot ports', () => {
  it('skip a port an unrelated server listens on and one a foreign container publishes', async () => {
    listener = createServer();
    await new Promise<void>((resolve) => listener?.listen(range.first, '127.0.0.1', resolve));
    // Created, not started: only the engine knows it takes the port (as with the userland proxy off).
    await docker.createContainer({
      name: `rise-test-foreign-${runId}`,
      Image: images.v1,
      Labels: testLabel,
      ExposedPorts: { [`${TEST_APP_PORT}/tcp`]: {} },
      HostConfig: {
        PortBindings: {
          [`${TEST_APP_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(range.first + 1) }],
        },
      },
    });
    expect(await canBind(range.first + 1)).toBe(true);

    const deployed = await deploy(one, images.v1);
    expect(deployed, deployed.events.join('\n')).toMatchObject({ status: 'healthy', slot: 'a' });
    expect([deployed.slotPortA, deployed.slotPortB]).toEqual([range.first + 2, range.first + 3]);
    expect(await hostPortsOf(one)).toEqual([range.first + 2]);
    expect(await body(one)).toBe('v1');
  }, 120_000);

  it("of a second installation avoid the first one's: a project of the same name runs in both", async () => {
    const deployed = await deploy(two, images.v2);
    expect(deployed, deployed.events.join('\n')).toMatchObject({ status: 'healthy', slot: 'a' });
    // Skipped: the listener's, the foreign container's, and both of installation one's slots (its
    // running app publishes one and holds the idle one in its host-ports label).
    expect([deployed.slotPortA, deployed.slotPortB]).toEqual([range.first + 4, range.first + 5]);
    expect(await hostPortsOf(two)).toEqual([range.first + 4]);
    expect(await body(one)).toBe('v1');
    expect(await body(two)).toBe('v2');

    // Each on its own network, named after its installation.
    const [mine] = await containersOf(one);
    const [theirs] = await containersOf(two);
    expect(Object.keys(mine?.NetworkSettings.Networks ?? {})).toEqual([`${one.network}-${project}`]);
    expect(Object.keys(theirs?.NetworkSettings.Networks ?? {})).toEqual([`${two.network}-${project}`]);
    expect(one.network).not.toBe(two.network);
  }, 120_000);

  it('move a slot whose port was taken after it was given, and the deployment goes on', async () => {
    // Installation one's idle slot b has range.first + 3; a server starts on it before the next deploy.
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(range.first + 3, '127.0.0.1', resolve));
    try {
      const deployed = await deploy(one, images.v3);
      expect(deployed, deployed.events.join('\n')).toMatchObject({ status: 'healthy', slot: 'b' });
      const moved = deployed.events.find((line) =>
        line.includes(`host port ${range.first + 3} is already in use`),
      );
      expect(moved, deployed.events.join('\n')).toMatch(
        new RegExp(`Slot b of ${project} moves to host port ${deployed.slotPortB}; starting again`),
      );
      expect(deployed.slotPortA).toBe(range.first + 2);
      // Nor one of installation two's.
      expect(deployed.slotPortB).toBe(range.first + 6);
      expect(await hostPortsOf(one)).toEqual([range.first + 6]);
      expect(await body(one)).toBe('v3');
      expect(await body(two)).toBe('v2');
    } finally {
      squatter.close();
    }
  }, 120_000);

  it('move the slot of an instance the reconciler brings back when its port was taken meanwhile', async () => {
    // The host restarted, say: installation two's app is gone and a server took its port first.
    const [gone] = await containersOf(two);
    await docker.getContainer(gone!.Id).remove({ force: true });
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(range.first + 4, '127.0.0.1', resolve));
    try {
      const report = await as(two, () => reconcile(two.deps, undefined, { runtime: 'docker' }));
      expect(report.restarted).toBe(1);
      const { active, events, slotPortA } = await as(two, async () => {
        const row = await getDb().project.findUniqueOrThrow({ where: { name: project } });
        const lines = await getDb().deploymentEvent.findMany({
          where: { deploymentId: row.activeDeploymentId! },
          orderBy: { id: 'asc' },
        });
        return {
          active: row.activeDeploymentId,
          events: lines.map((line) => line.message),
          slotPortA: row.slotPortA,
        };
      });
      expect(active).not.toBeNull();
      expect(slotPortA).not.toBe(range.first + 4);
      expect(events.join('\n')).toContain(
        `host port ${range.first + 4} is already in use: container rise-${project}-${active}`,
      );
      expect(events.join('\n')).toContain(
        `Slot a of ${project} moves to host port ${slotPortA}; starting again`,
      );
      expect(await hostPortsOf(two)).toEqual([slotPortA]);
      // The route follows the slot to its new port.
      await waitFor(async () => (await body(two)) === 'v2' || null, {
        description: 'installation two to answer again',
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      expect(await body(one)).toBe('v3');
    } finally {
      squatter.close();
    }
  }, 120_000);
});

describe("one installation's clean-up", () => {
  it("never touches the other's containers and networks", async () => {
    const networkOfTwo = `${two.network}-${project}`;
    const before = (await containersOf(two)).map((container) => container.Id);
    expect(before).toHaveLength(1);

    await as(one, () => reconcile(one.deps, undefined, { runtime: 'docker' }));
    // Installation one deletes its project: its instances and network go, then a reconcile runs.
    await as(one, async () => {
      await removeProjectResources(one.deps, project);
      await getDb().project.delete({ where: { name: project } });
      return reconcile(one.deps, undefined, { runtime: 'docker' });
    });

    expect(await containersOf(one)).toEqual([]);
    expect(await docker.listNetworks({ filters: { name: [`${one.network}-${project}`] } })).toEqual([]);
    const after = await containersOf(two);
    expect(after.map((container) => container.Id)).toEqual(before);
    expect(after[0]?.State).toBe('running');
    expect((await docker.getNetwork(networkOfTwo).inspect()).Name).toBe(networkOfTwo);
    expect(await body(two)).toBe('v2');
    expect(await as(two, () => reconcile(two.deps, undefined, { runtime: 'docker' }))).toMatchObject({
      orphansRemoved: 0,
      restarted: 0,
    });
  }, 120_000);
});

describe('database containers of the same name', () => {
  it('are not used, stopped or removed by an installation that did not make them', async () => {
    await buildTestDatabaseImages({ docker });
    const hostOf = (instance: string) =>
      new DockerDatabaseHost({
        docker,
        network: projectNetworkPrefix(undefined, instance),
        manager: instance,
        subnetPool: TEST_SUBNET_POOL,
        extraLabels: testLabel,
      });
    const [first, second] = [hostOf(one.instance), hostOf(two.instance)];
    // The names an older Rise gave both installations' database `cache` of projects of the same name.
    const spec = (password: string): DatabaseContainerSpec => ({
      engine: 'redis',
      image: TEST_DATABASE_IMAGES.redis,
      project: `db-${runId}`,
      host: `rise-db-db-${runId}-cache`,
      volumeName: `rise-db-db-${runId}-cache-data`,
      credentials: { username: 'default', password, database: '' },
      cpuLimit: null,
      memoryLimitMb: null,
      labels: testLabel,
    });
    const theirs = spec(`pw${randomBytes(8).toString('hex')}`);
    await first.provision(theirs);
    await first.query(theirs, ['SET', 'owner', 'one']);

    const refused = spec(`pw${randomBytes(8).toString('hex')}`);
    await expect(second.provision(refused)).rejects.toThrow(
      `Docker volume ${refused.volumeName} exists but is not this installation's`,
    );
    await expect(second.stop(refused.host)).rejects.toThrow("is not this installation's");
    await second.remove(refused.host, { removeVolume: true, volumeName: refused.volumeName });

    expect(await first.state(theirs.host)).toBe('running');
    expect((await first.query(theirs, ['GET', 'owner'])).trim()).toBe('one');
    expect((await docker.getVolume(theirs.volumeName).inspect()).Labels?.['dev.rise.managed-by']).toBe(
      one.instance,
    );
    await first.remove(theirs.host, { removeVolume: true, volumeName: theirs.volumeName });
  }, 300_000);
});

describe('an installation upgraded from the shared default network prefix', () => {
  it("moves its project networks to its own prefix, with their containers, and no one else's", async () => {
    const instance = `test-${runId}-old`;
    const other = `test-${runId}-other`;
    const legacy = `old-${runId}`;
    const networksOf = (manager: string) =>
      new ProjectNetworks({
        docker,
        base: 'rise-apps',
        labels: labelKeys('dev.rise', manager),
        extraLabels: testLabel,
        subnetPool: TEST_SUBNET_POOL,
      });
    try {
      // What an older Rise made with RISE_DOCKER_NETWORK unset: `rise-apps-<project>`, and an app on it.
      const former = await networksOf(instance).ensure(legacy);
      const othersNetwork = await networksOf(other).ensure(`other-${runId}`);
      const deployment = '20200101-0000-oldx';
      const app = await docker.createContainer({
        name: `rise-${legacy}-${deployment}`,
        Image: images.v1,
        Labels: {
          ...testLabel,
          'dev.rise.managed-by': instance,
          'dev.rise.project': legacy,
          'dev.rise.deployment': deployment,
          'dev.rise.slot': 'a',
        },
        HostConfig: { NetworkMode: former },
        NetworkingConfig: { EndpointsConfig: { [former]: { Aliases: [`rise-${legacy}-a`] } } },
      });
      await app.start();

      const runtime = new DockerRuntime({
        instance,
        network: projectNetworkPrefix(undefined, instance),
        formerNetwork: formerNetworkPrefix(undefined, instance),
        upstreamMode: 'host',
        extraLabels: testLabel,
        subnetPool: TEST_SUBNET_POOL,
      });
      await runtime.prepare();

      const current = `rise-apps.${instance}-${legacy}`;
      const info = await app.inspect();
      expect(info.State.Running).toBe(true);
      expect(Object.keys(info.NetworkSettings.Networks)).toEqual([current]);
      expect(info.NetworkSettings.Networks[current]?.Aliases).toContain(`rise-${legacy}-a`);
      const names = (await docker.listNetworks({ filters: { label: [`rise.test=${runId}`] } })).map(
        (network) => network.Name,
      );
      expect(names).not.toContain(former);
      expect(names).toContain(othersNetwork);
    } finally {
      await removeInstanceResources(docker, instance);
      await removeInstanceResources(docker, other);
    }
  }, 120_000);
});
