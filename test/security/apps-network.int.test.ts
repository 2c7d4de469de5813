import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseEnv } from '@/env';
import { DockerDatabaseHost } from '@/server/databases/docker/docker-database-host';
import { runExec } from '@/server/databases/docker/docker-exec';
import type { DatabaseContainerSpec } from '@/server/databases/types';
import { freePort } from '@/server/platform/free-port';
import { findExecutable, startLocalCaddy } from '@/server/platform/local-caddy';
import { type SupervisedProcess, stopProcess } from '@/server/platform/supervisor';
import { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { containerName } from '@/server/runtime/docker/instance-labels';
import { buildTestDatabaseImages, TEST_DATABASE_IMAGES } from '../database-images';
import { TEST_SUBNET_POOL } from '../docker-networks';
import { buildTestAppImage, TEST_APP_PORT } from '../images';
import { type NextServer, startNextServer } from '../next-server';
import { startRegistry, type TestRegistry } from '../registry';

// The attack: code deployed as an app runs in a container on Rise's apps network and dials every
// address it can see (the bridge gateway is the host) on the ports of Rise's control plane: Caddy's
// admin API (rewrites every route), PostgreSQL, the registry, the web server, the Docker API.
// The control plane is started here as `npm start` binds it; the app container is created by Rise's
// own DockerRuntime, on a network created the way Rise creates its apps network.
// The second attack: an app of project A dials project B's database and B's app (by alias and by IP):
// a private project's app would be reached without Caddy's sign-in, its database without the app.

const runId = randomBytes(4).toString('hex');
const testLabels = { 'rise.test': runId };
const network = `rise-test-apps-${runId}`;
const project = `an${runId}`;
const deploymentId = `d${runId}`;
const docker = new Dockerode();
const instance = `test-${runId}`;
const runtime = new DockerRuntime({
  docker,
  instance,
  network,
  upstreamMode: 'host',
  extraLabels: testLabels,
  subnetPool: TEST_SUBNET_POOL,
});
const databases = new DockerDatabaseHost({
  docker,
  network,
  manager: instance,
  subnetPool: TEST_SUBNET_POOL,
  extraLabels: testLabels,
});
const APP = 'rise-test-app:apps-network';

type Target = { what: string; port: number };

let dataDir: string;
let caddy: SupervisedProcess | null = null;
let registry: TestRegistry | null = null;
let web: NextServer | null = null;
let caddyAdminPort: number;
let publicPort: number;
let gateway: string;
let hostAddresses: string[];
let controlPlane: Target[];

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** From inside an app container: which of `host:port` accept a TCP connection (busybox nc). */
async function reachable(
  addresses: string[],
  ports: number[],
  from = containerName(project, deploymentId),
): Promise<Set<string>> {
  const pairs = addresses.flatMap((address) => ports.map((port) => `${address} ${port}`));
  const script = pairs
    .map((pair) => `if /bin/busybox nc -w 2 ${pair} </dev/null >/dev/null 2>&1; then echo "open ${pair}"; fi`)
    .join('\n');
  const container = docker.getContainer(from);
  const result = await runExec(
    container,
    { cmd: ['/bin/busybox', 'sh', '-c', script] },
    { timeoutMs: 120_000 },
  );
  const open = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('open '))
    .map((line) => line.slice('open '.length).replace(' ', ':'));
  return new Set(open);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rise-test-apps-network-'));
  const env = parseEnv({});
  // What `npm start` does when nothing is configured: everything of Rise on the loopback interface.
  expect(env.RISE_HOST).toBe('127.0.0.1');

  const binary = findExecutable('caddy');
  if (!binary) throw new Error('caddy not found on PATH (Debian: apt-get install caddy)');
  caddyAdminPort = await freePort();
  caddy = await startLocalCaddy({ binary, dataDir, adminPort: caddyAdminPort });
  // Caddy's public HTTP server on every interface, as on a server: the control that the probe works.
  publicPort = await freePort();
  await new CaddyProxy({
    adminUrl: `http://127.0.0.1:${caddyAdminPort}`,
    httpPort: publicPort,
    httpsPort: await freePort(),
    tlsMode: 'off',
    riseUrl: 'http://127.0.0.1:9',
    authUpstream: '127.0.0.1:9',
  }).prepare();

  registry = await startRegistry();
  web = await startNextServer();

  await buildTestAppImage({ tag: APP, version: 'attacker', docker });
  await runtime.prepare();
  await runtime.start({
    project,
    deploymentId,
    slot: 'a',
    image: APP,
    port: TEST_APP_PORT,
    env: {},
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: await freePort(),
  });
  // The network Rise put the app on (its project's).
  const [appNetwork] = Object.keys(
    (await docker.getContainer(containerName(project, deploymentId)).inspect()).NetworkSettings.Networks,
  );
  const info = await docker.getNetwork(appNetwork as string).inspect();
  gateway = info.IPAM?.Config?.[0]?.Gateway as string;
  expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

  // Every IPv4 address of the host but loopback: the gateway of this network, other bridges, uplinks.
  hostAddresses = [
    ...new Set([
      gateway,
      ...Object.values(networkInterfaces())
        .flat()
        .filter((address) => address && address.family === 'IPv4' && !address.internal)
        .map((address) => address?.address as string),
    ]),
  ];
  const postgres = inject('postgres');
  controlPlane = [
    { what: "Caddy's admin API", port: caddyAdminPort },
    { what: 'PostgreSQL (embedded)', port: postgres.port },
    { what: 'the registry', port: Number(registry.host.split(':')[1]) },
    { what: "Rise's web server", port: web.port },
    { what: 'the Docker API (tcp)', port: 2375 },
    { what: 'the Docker API (tls)', port: 2376 },
  ];
}, 240_000);

afterAll(async () => {
  await runtime.remove(project, deploymentId, { graceMs: 0 }).catch(() => undefined);
  for (const tenant of Object.values(tenants)) {
    await runtime.remove(tenant.project, tenant.deploymentId, { graceMs: 0 }).catch(() => undefined);
    await databases
      .remove(tenant.database.host, { removeVolume: true, volumeName: tenant.database.volumeName })
      .catch(() => undefined);
  }
  for (const item of await docker.listNetworks({ filters: { label: [`rise.test=${runId}`] } })) {
    await docker
      .getNetwork(item.Id)
      .remove()
      .catch(() => undefined);
  }
  await web?.stop();
  await registry?.stop();
  if (caddy) await stopProcess(caddy);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('an app container on the apps network (npm start layout)', () => {
  it('reaches a server the host exposes on all interfaces (the probe works)', async () => {
    const open = await reachable([gateway], [publicPort]);
    expect([...open]).toEqual([`${gateway}:${publicPort}`]);
  });

  it('reaches none of the control plane through any host address', async () => {
    const open = await reachable(
      hostAddresses,
      controlPlane.map((target) => target.port),
    );
    const reached = [...open].map((address) => {
      const port = Number(address.split(':')[1]);
      return `${controlPlane.find((target) => target.port === port)?.what} at ${address}`;
    });
    expect(reached).toEqual([]);
  });

  it('has no Docker socket: nothing mounted, no socket file inside', async () => {
    const info = await docker.getContainer(containerName(project, deploymentId)).inspect();
    expect(info.Mounts).toEqual([]);
    expect(info.HostConfig.Binds ?? []).toEqual([]);
    const container = docker.getContainer(info.Id);
    const result = await runExec(container, {
      cmd: ['/bin/busybox', 'sh', '-c', 'ls /var/run/docker.sock /run/docker.sock 2>/dev/null; echo done'],
    });
    expect(result.stdout.trim()).toBe('done');
  });

  it('cannot forge frames on the bridge: no raw sockets (arping to the gateway is refused)', async () => {
    const container = docker.getContainer(containerName(project, deploymentId));
    const result = await runExec(container, {
      cmd: ['/bin/busybox', 'arping', '-c', '1', '-w', '2', '-I', 'eth0', gateway],
    });
    expect(result.stderr).toMatch(/Operation not permitted/);
    expect(result.exitCode).not.toBe(0);
    expect((await container.inspect()).HostConfig.CapDrop).toEqual(['NET_RAW']);
  });

  it('the control plane really listens only on the loopback interface', async () => {
    const postgres = inject('postgres');
    const client = new pg.Client({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      database: 'postgres',
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ listen_addresses: string }>('SHOW listen_addresses');
      expect(rows[0]?.listen_addresses).toBe('127.0.0.1');
    } finally {
      await client.end();
    }
    // The same services accept connections on 127.0.0.1: the failed probes are not a dead service.
    for (const target of controlPlane.filter((item) => !item.what.startsWith('the Docker API'))) {
      expect(await tcpOpen('127.0.0.1', target.port), target.what).toBe(true);
    }
  });
});

type Tenant = { project: string; deploymentId: string; database: DatabaseContainerSpec };

function tenant(name: string): Tenant {
  const tenantProject = `${name}${runId}`;
  return {
    project: tenantProject,
    deploymentId: `d${name}${runId}`,
    database: {
      engine: 'redis',
      image: TEST_DATABASE_IMAGES.redis,
      project: tenantProject,
      host: `rise-db-${tenantProject}-cache`,
      volumeName: `rise-db-${tenantProject}-cache-data`,
      credentials: { username: 'default', password: `pw${randomBytes(8).toString('hex')}`, database: '' },
      cpuLimit: null,
      memoryLimitMb: null,
      labels: testLabels,
    },
  };
}

const tenants = { a: tenant('ta'), b: tenant('tb') };
const REDIS_PORT = 6379;

/** The IP addresses of a container on the networks Rise put it on. */
async function addressesOf(container: string): Promise<string[]> {
  const info = await docker.getContainer(container).inspect();
  const ips = Object.values(info.NetworkSettings.Networks).map((network) => network.IPAddress);
  if (ips.length === 0 || ips.some((ip) => !ip)) throw new Error(`${container} has no address`);
  return ips;
}

describe('apps of two projects (Docker runtime, npm start layout)', () => {
  const a = tenants.a;
  const b = tenants.b;
  let bApp: string[];
  let bDatabase: string[];

  beforeAll(async () => {
    await buildTestDatabaseImages({ docker });
    for (const item of [a, b]) {
      // As the database-provision and deploy jobs do: the database first, then the app.
      await databases.provision(item.database);
      await runtime.start({
        project: item.project,
        deploymentId: item.deploymentId,
        slot: 'a',
        image: APP,
        port: TEST_APP_PORT,
        env: {},
        cpuLimit: null,
        memoryLimitMb: null,
        hostPort: await freePort(),
      });
    }
    bApp = await addressesOf(containerName(b.project, b.deploymentId));
    bDatabase = await addressesOf(b.database.host);
  }, 300_000);

  it("an app reaches its own project's database by its alias (the linked URL's host)", async () => {
    const open = await reachable([a.database.host], [REDIS_PORT], containerName(a.project, a.deploymentId));
    expect([...open]).toEqual([`${a.database.host}:${REDIS_PORT}`]);
    const own = await reachable([b.database.host], [REDIS_PORT], containerName(b.project, b.deploymentId));
    expect([...own]).toEqual([`${b.database.host}:${REDIS_PORT}`]);
  });

  it("an app reaches neither another project's database nor its app, by alias or by IP", async () => {
    const open = await reachable(
      [
        b.database.host,
        ...bDatabase,
        `rise-${b.project}-a`,
        containerName(b.project, b.deploymentId),
        ...bApp,
      ],
      [REDIS_PORT, TEST_APP_PORT],
      containerName(a.project, a.deploymentId),
    );
    expect([...open]).toEqual([]);
    // The control: B's app does serve on that port, to its own project.
    const served = await reachable(
      [`rise-${b.project}-a`],
      [TEST_APP_PORT],
      containerName(b.project, b.deploymentId),
    );
    expect([...served]).toEqual([`rise-${b.project}-a:${TEST_APP_PORT}`]);
  });

  it("the projects' networks are gone once the projects are deleted", async () => {
    for (const item of [a, b]) {
      const name = runtime.projectNetwork(item.project);
      expect((await docker.getNetwork(name).inspect()).Labels).toMatchObject({
        'dev.rise.managed-by': instance,
        'dev.rise.project': item.project,
      });
      // The project-delete job: instances, then the project's network; the database's own removal
      // job may run before or after it.
      await runtime.remove(item.project, item.deploymentId, { graceMs: 0 });
      await runtime.deleteProject(item.project);
      await databases.remove(item.database.host, {
        removeVolume: true,
        volumeName: item.database.volumeName,
      });
      const left = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
      expect(left).toEqual([]);
    }
  });
});
