import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectNetworks } from '@/server/docker/docker-network';
import { labelKeys } from '@/server/docker/labels';
import { parseCidr } from '@/server/docker/subnet-pool';
import { TEST_SUBNET_POOL } from '../../../../test/docker-networks';
import {
  buildCrashingImage,
  buildCrashOnceImage,
  buildTestAppImage,
  TEST_APP_PORT,
} from '../../../../test/images';
import { watchLogs } from '../../../../test/log-lines';
import { freePort } from '../../platform/free-port';
import type { HealthCheck, InstanceSpec, LogLine } from '../types';
import { DockerRuntime } from './docker-runtime';

// Against the real dockerd. Everything this file creates carries rise.test=<run id> and is removed
// in afterAll; network names are unique per run, project networks come from the test subnet pool.

const runId = randomBytes(4).toString('hex');
const testLabels = { 'rise.test': runId };
const network = `rise-test-${runId}`;
const project = `rt${runId}`;
const projectNetwork = `${network}-${project}`;
const docker = new Dockerode();
const instance = `test-${runId}`;
// Stands in for Caddy's (and the worker's) container, which must reach every project's apps.
const attached = `rise-test-attached-${runId}`;
const hostRuntime = new DockerRuntime({
  docker,
  instance,
  network,
  upstreamMode: 'host',
  extraLabels: testLabels,
  subnetPool: TEST_SUBNET_POOL,
});
const networkRuntime = new DockerRuntime({
  docker,
  instance,
  network,
  upstreamMode: 'network',
  extraLabels: testLabels,
  subnetPool: TEST_SUBNET_POOL,
  attachContainers: [attached],
});

function projectNetworks(options: { subnetPool?: string | null; attach?: string[] } = {}) {
  return new ProjectNetworks({
    docker,
    base: network,
    labels: labelKeys('dev.rise', instance),
    extraLabels: testLabels,
    subnetPool: TEST_SUBNET_POOL,
    ...options,
  });
}

async function networksNamed(name: string) {
  return (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
}

async function sleeper(name: string, labels: Record<string, string> = {}, networkMode = 'none') {
  const container = await docker.createContainer({
    name,
    Image: APP_V1,
    Entrypoint: ['/bin/busybox', 'sleep', '600'],
    Labels: { ...testLabels, ...labels },
    HostConfig: { NetworkMode: networkMode },
  });
  await container.start();
  return container;
}

const APP_V1 = 'rise-test-app:v1';
const APP_UNHEALTHY = 'rise-test-app:unhealthy';
const CRASHING = 'rise-test-crashing:1';
const CRASH_ONCE = 'rise-test-crash-once:1';

const healthCheck: HealthCheck = { path: '/health', timeoutMs: 1_000, intervalMs: 200, attempts: 50 };

function spec(overrides: Partial<InstanceSpec> & { deploymentId: string }): InstanceSpec {
  return {
    project,
    slot: 'a',
    image: APP_V1,
    port: TEST_APP_PORT,
    env: {},
    cpuLimit: null,
    memoryLimitMb: null,
    hostPort: null,
    ...overrides,
  };
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const result: LogLine[] = [];
  for await (const line of lines) result.push(line);
  return result;
}

async function inspectByName(name: string) {
  return docker
    .getContainer(name)
    .inspect()
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode === 404) return null;
      throw error;
    });
}

beforeAll(async () => {
  await Promise.all([
    buildTestAppImage({ tag: APP_V1, version: 'v1', docker }),
    buildTestAppImage({ tag: APP_UNHEALTHY, version: 'broken', healthy: false, docker }),
    buildCrashingImage(CRASHING, docker),
    buildCrashOnceImage(CRASH_ONCE, docker),
  ]);
  await sleeper(attached, {}, 'bridge');
});

afterAll(async () => {
  const label = [`rise.test=${runId}`];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
  const networks = await docker.listNetworks({ filters: { label } });
  for (const n of networks) await docker.getNetwork(n.Id).remove();
  expect(await docker.listNetworks({ filters: { label } })).toEqual([]);
  const left = await docker.listContainers({ all: true, filters: { label } });
  expect(left).toEqual([]);
});

describe('DockerRuntime against dockerd', () => {
  it('creates a project network once, labelled, on a /24 of the pool, also when ensured concurrently', async () => {
    const name = `${network}-concurrent`;
    // Two ProjectNetworks: as two worker processes, which share no in-process state.
    const [one, two] = [projectNetworks(), projectNetworks()];
    const names = await Promise.all([
      one.ensure('concurrent'),
      two.ensure('concurrent'),
      one.ensure('concurrent'),
      two.ensure('concurrent'),
    ]);
    expect(new Set(names)).toEqual(new Set([name]));
    const networks = await networksNamed(name);
    expect(networks).toHaveLength(1);
    expect(networks[0]?.Driver).toBe('bridge');
    expect(networks[0]?.Labels).toMatchObject({
      'dev.rise.managed-by': instance,
      'dev.rise.project': 'concurrent',
      'rise.test': runId,
    });
    const subnet = networks[0]?.IPAM?.Config?.[0]?.Subnet as string;
    expect(subnet).toMatch(/\/24$/);
    const pool = parseCidr(TEST_SUBNET_POOL);
    const range = parseCidr(subnet);
    expect(range && pool && range.first >= pool.first && range.last <= pool.last).toBe(true);

    // A second project gets another /24; without a pool, Docker picks the subnet.
    await one.ensure('second');
    const second = (await networksNamed(`${network}-second`))[0]?.IPAM?.Config?.[0]?.Subnet;
    expect(second).toMatch(/\/24$/);
    expect(second).not.toBe(subnet);
    await projectNetworks({ subnetPool: null }).ensure('unpooled');
    const unpooled = (await networksNamed(`${network}-unpooled`))[0]?.IPAM?.Config?.[0]?.Subnet as string;
    const unpooledRange = parseCidr(unpooled);
    expect(
      unpooledRange && pool && (unpooledRange.last < pool.first || unpooledRange.first > pool.last),
    ).toBe(true);
    for (const project of ['concurrent', 'second', 'unpooled']) await one.remove(project);
    expect(await networksNamed(name)).toEqual([]);
  });

  it('gives many new projects a /24 each when their first deployments start at once (one and two workers)', async () => {
    // 20 deployments of 20 new projects queued at once: each worker slot creates its project's network
    // at the same moment, and all of them see the same first free /24.
    const [one, two] = [projectNetworks(), projectNetworks()];
    const projects = Array.from({ length: 12 }, (_, index) => `burst-${index}`);
    const names = await Promise.all(
      projects.map((project, index) => (index % 3 ? one : two).ensure(project)),
    );
    expect(names).toEqual(projects.map((project) => `${network}-${project}`));
    const subnets = await Promise.all(
      names.map(async (name) => (await networksNamed(name))[0]?.IPAM?.Config?.[0]?.Subnet),
    );
    expect(new Set(subnets).size).toBe(projects.length);
    for (const project of projects) await one.remove(project);
  });

  it('refuses a network of the project name that is not its own, and says which pool is full', async () => {
    const name = `${network}-squatted`;
    await docker.createNetwork({
      Name: name,
      Labels: testLabels,
      IPAM: { Config: [{ Subnet: '10.213.255.0/24' }] },
    });
    try {
      await expect(projectNetworks().ensure('squatted')).rejects.toThrow(
        `Docker network ${name} exists but is not this installation's network of project squatted`,
      );
      // Not Rise's: left alone by remove too.
      await projectNetworks().remove('squatted');
      expect(await networksNamed(name)).toHaveLength(1);
      // Its subnet fills this one-/24 pool.
      await expect(projectNetworks({ subnetPool: '10.213.255.0/24' }).ensure('full')).rejects.toThrow(
        /no free \/24 left in RISE_DOCKER_SUBNET_POOL 10\.213\.255\.0\/24/,
      );
    } finally {
      await docker.getNetwork(name).remove();
    }
  });

  it('starts an app in host mode, probes it healthy and serves it on 127.0.0.1:<hostPort>', async () => {
    const hostPort = await freePort();
    const v1 = spec({
      deploymentId: 'd1',
      hostPort,
      env: { GREETING: 'hello world', SECRET_TOKEN: 's3cr=t' },
      cpuLimit: 0.5,
      memoryLimitMb: 64,
    });
    await hostRuntime.start(v1);
    expect(await hostRuntime.waitHealthy(v1, healthCheck)).toEqual({ healthy: true });
    const response = await fetch(`http://127.0.0.1:${hostPort}/`);
    expect((await response.text()).trim()).toBe('v1');
    expect(hostRuntime.upstreamAddress(v1)).toBe(`127.0.0.1:${hostPort}`);

    const info = await docker.getContainer(`rise-${project}-d1`).inspect();
    expect(info.Name).toBe(`/rise-${project}-d1`);
    expect(info.Config.Labels).toMatchObject({
      'dev.rise.managed-by': instance,
      'dev.rise.project': project,
      'dev.rise.deployment': 'd1',
      'dev.rise.slot': 'a',
      'rise.test': runId,
    });
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello world', 'SECRET_TOKEN=s3cr=t']));
    expect(info.Config.ExposedPorts).toHaveProperty(`${TEST_APP_PORT}/tcp`);
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    // The reconciler alone restarts crashed apps (container-spec.ts RESTART_POLICY).
    expect(info.HostConfig.RestartPolicy).toMatchObject({ Name: 'no' });
    expect(info.HostConfig.PortBindings).toEqual({
      [`${TEST_APP_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(hostPort) }],
    });
    // Only on the project's own network.
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([projectNetwork]);
    expect(info.NetworkSettings.Networks[projectNetwork]?.Aliases).toContain(`rise-${project}-a`);

    const listed = await hostRuntime.list({ project });
    expect(listed).toEqual([
      expect.objectContaining({ project, deploymentId: 'd1', slot: 'a', state: 'running', exitCode: null }),
    ]);
    expect(listed[0]?.startedAt).toBeInstanceOf(Date);
    expect(listed[0]?.finishedAt).toBeNull();
    expect((await hostRuntime.list()).some((s) => s.deploymentId === 'd1' && s.project === project)).toBe(
      true,
    );
  });

  it('returns the last log lines with stream and time', async () => {
    const lines = await collect(hostRuntime.logs(project, 'd1', { follow: false, tail: 50 }));
    const request = lines.find((l) => l.line.includes('url:/health'));
    expect(request).toBeDefined();
    expect(request?.stream).toBe('stderr');
    expect(request?.time).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - (request?.time?.getTime() ?? 0))).toBeLessThan(120_000);
    const lastTwo = await collect(hostRuntime.logs(project, 'd1', { follow: false, tail: 2 }));
    expect(lastTwo).toHaveLength(2);
  });

  it('follows logs: yields new lines after a request and ends on abort', async () => {
    const hostPort = (await docker.getContainer(`rise-${project}-d1`).inspect()).HostConfig.PortBindings[
      `${TEST_APP_PORT}/tcp`
    ][0].HostPort;
    const controller = new AbortController();
    const watch = watchLogs(
      hostRuntime.logs(project, 'd1', { follow: true, tail: 0, signal: controller.signal }),
    );
    await watch.waitFor(
      (l) => l.line.includes('url:/followed'),
      () => fetch(`http://127.0.0.1:${hostPort}/followed`),
    );
    expect(watch.seen.every((l) => !l.line.includes('url:/health'))).toBe(true);
    controller.abort();
    await expect(watch.done).resolves.toBeUndefined();
  });

  it('reports an app whose health path answers 404 as unhealthy', async () => {
    const broken = spec({
      deploymentId: 'unhealthy',
      slot: 'b',
      image: APP_UNHEALTHY,
      hostPort: await freePort(),
    });
    await hostRuntime.start(broken);
    const result = await hostRuntime.waitHealthy(broken, { ...healthCheck, attempts: 4 });
    expect(result).toEqual({ healthy: false, error: 'GET /health returned 404' });
    await hostRuntime.remove(project, 'unhealthy', { graceMs: 0 });
  });

  it('fails fast with the exit code and last log lines when the app crashes', async () => {
    const crashing = spec({ deploymentId: 'crash', slot: 'b', image: CRASHING, hostPort: await freePort() });
    await hostRuntime.start(crashing);
    const started = Date.now();
    // Out of attempts after restarting it: the crash is reported, not the probe error.
    const early = await hostRuntime.waitHealthy(crashing, { ...healthCheck, attempts: 2, intervalMs: 500 });
    expect(early).toMatchObject({
      healthy: false,
      error: expect.stringMatching(/(exited|crashed) .*crashing on purpose/s),
    });
    const result = await hostRuntime.waitHealthy(crashing, { ...healthCheck, attempts: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.healthy).toBe(false);
    const error = result.healthy ? '' : result.error;
    expect(error).toMatch(/(exited|crashed) before becoming healthy \(exit code 1, restarted \d times?\)/);
    expect(error).toContain('crashing on purpose');
    await hostRuntime.remove(project, 'crash', { graceMs: 0 });
  });

  it('tolerates one crash while starting: the runtime restarts the app and it becomes healthy', async () => {
    const flaky = spec({ deploymentId: 'once', slot: 'b', image: CRASH_ONCE, hostPort: await freePort() });
    await hostRuntime.start(flaky);
    expect(await hostRuntime.waitHealthy(flaky, healthCheck)).toEqual({ healthy: true });
    expect((await docker.getContainer(`rise-${project}-once`).inspect()).State.Running).toBe(true);
    const lines = await collect(hostRuntime.logs(project, 'once', { follow: false, tail: 10 }));
    expect(lines.map((l) => l.line)).toContain('first start fails');
    await hostRuntime.remove(project, 'once', { graceMs: 0 });
  });

  it('stops probing when the signal aborts', async () => {
    const v1 = spec({ deploymentId: 'd1', hostPort: 1 });
    const controller = new AbortController();
    controller.abort();
    expect(await hostRuntime.waitHealthy(v1, { ...healthCheck, signal: controller.signal })).toEqual({
      healthy: false,
      error: 'cancelled',
    });
    const later = new AbortController();
    setTimeout(() => later.abort(), 300);
    const missingPort = spec({ deploymentId: 'd1', hostPort: await freePort() });
    const started = Date.now();
    const result = await hostRuntime.waitHealthy(missingPort, { ...healthCheck, signal: later.signal });
    expect(result).toEqual({ healthy: false, error: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reports connection refused as the last probe error', async () => {
    const wrongPort = spec({ deploymentId: 'd1', hostPort: await freePort() });
    const result = await hostRuntime.waitHealthy(wrongPort, { ...healthCheck, attempts: 2, intervalMs: 50 });
    expect(result).toEqual({ healthy: false, error: 'GET /health failed: connection refused' });
  });

  it('restarts a stopped instance in place, leaving restarts to Rise from then on', async () => {
    const before = await docker.getContainer(`rise-${project}-d1`).inspect();
    // As an older Rise created its containers.
    await docker
      .getContainer(before.Id)
      .update({ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 } });
    await docker.getContainer(before.Id).stop({ t: 0 });
    expect((await hostRuntime.list({ project })).find((s) => s.deploymentId === 'd1')?.state).toBe('exited');
    await hostRuntime.restart(project, 'd1');
    const status = (await hostRuntime.list({ project })).find((s) => s.deploymentId === 'd1');
    expect(status?.state).toBe('running');
    const after = await docker.getContainer(`rise-${project}-d1`).inspect();
    expect(after.Id).toBe(before.Id);
    expect(after.HostConfig.RestartPolicy).toMatchObject({ Name: 'no' });
    await expect(hostRuntime.restart(project, 'nothing')).rejects.toThrow(/no such container/);
  });

  it('replaces the container when the same deployment starts twice', async () => {
    const again = spec({ deploymentId: 'twice', slot: 'b', hostPort: await freePort() });
    await hostRuntime.start(again);
    const first = await docker.getContainer(`rise-${project}-twice`).inspect();
    await hostRuntime.start(again);
    const second = await docker.getContainer(`rise-${project}-twice`).inspect();
    expect(second.Id).not.toBe(first.Id);
    expect(await inspectByName(first.Id)).toBeNull();
    expect(await hostRuntime.waitHealthy(again, healthCheck)).toEqual({ healthy: true });
    expect((await hostRuntime.list({ project })).filter((s) => s.deploymentId === 'twice')).toHaveLength(1);
  });

  it('removes idempotently and ends a followed log stream when the container goes', async () => {
    const watch = watchLogs(hostRuntime.logs(project, 'twice', { follow: true, tail: 5 }));
    // The stream is attached once it has replayed the health probes' lines.
    await watch.waitFor(
      (l) => l.line.includes('url:/health'),
      async () => undefined,
    );
    await hostRuntime.remove(project, 'twice', { graceMs: 2_000 });
    await hostRuntime.remove(project, 'twice', { graceMs: 2_000 });
    await hostRuntime.remove(project, 'never-existed');
    await expect(watch.done).resolves.toBeUndefined();
    expect(await inspectByName(`rise-${project}-twice`)).toBeNull();
    expect((await hostRuntime.list({ project })).some((s) => s.deploymentId === 'twice')).toBe(false);
  });

  it('never lists, removes or replaces a container without Rise’s label', async () => {
    const foreignName = `rise-${project}-foreign`;
    const foreign = await docker.createContainer({ name: foreignName, Image: APP_V1, Labels: testLabels });
    const all = await hostRuntime.list();
    expect(all.some((s) => s.deploymentId === 'foreign')).toBe(false);
    await expect(hostRuntime.remove(project, 'foreign')).rejects.toThrow(/not managed by Rise/);
    await expect(
      hostRuntime.start(spec({ deploymentId: 'foreign', hostPort: await freePort() })),
    ).rejects.toThrow(/not managed by Rise/);
    await expect(hostRuntime.restart(project, 'foreign')).rejects.toThrow(/not managed by Rise/);
    expect((await foreign.inspect()).Id).toBeTruthy();
  });

  it('starts without a host port in network mode and probes the container IP', async () => {
    const green = spec({ deploymentId: 'net', slot: 'b' });
    await networkRuntime.start(green);
    expect(await networkRuntime.waitHealthy(green, healthCheck)).toEqual({ healthy: true });
    expect(networkRuntime.upstreamAddress(green)).toBe(`rise-${project}-b:${TEST_APP_PORT}`);
    const info = await docker.getContainer(`rise-${project}-net`).inspect();
    expect(info.HostConfig.PortBindings ?? {}).toEqual({});

    // What the proxy's container (attached to every project network) sees: the slot alias resolves.
    const proxy = await docker.getContainer(attached).inspect();
    expect(Object.keys(proxy.NetworkSettings.Networks)).toContain(projectNetwork);
    const wget = await docker.getContainer(attached).exec({
      Cmd: ['/bin/busybox', 'wget', '-q', '-O', '-', `http://${networkRuntime.upstreamAddress(green)}/`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await wget.start({});
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect((await wget.inspect()).ExitCode).toBe(0);
    expect(Buffer.concat(chunks).toString()).toContain('v1');
  });

  it('moves containers of an older Rise off the shared network to their project network', async () => {
    await docker.createNetwork({ Name: network, Labels: testLabels });
    const legacyProject = `lg${runId}`;
    const managed = { 'dev.rise.managed-by': instance, 'dev.rise.project': legacyProject };
    // Its image added a database label naming another project's slot (image labels reach the
    // container): it must not get that alias.
    const app = await sleeper(
      `rise-${legacyProject}-old`,
      {
        ...managed,
        'dev.rise.deployment': 'old',
        'dev.rise.slot': 'b',
        'dev.rise.database': 'rise-victim-a',
      },
      network,
    );
    const database = await sleeper(
      `rise-db-${legacyProject}-main`,
      { ...managed, 'dev.rise.database': `rise-db-${legacyProject}-main` },
      network,
    );
    const foreign = await sleeper(`rise-test-foreign-${runId}`, {}, network);
    await hostRuntime.prepare();
    await hostRuntime.prepare();
    const moved = `${network}-${legacyProject}`;
    const appInfo = await app.inspect();
    expect(Object.keys(appInfo.NetworkSettings.Networks)).toEqual([moved]);
    expect(appInfo.NetworkSettings.Networks[moved]?.Aliases).toContain(`rise-${legacyProject}-b`);
    expect(appInfo.NetworkSettings.Networks[moved]?.Aliases).not.toContain('rise-victim-a');
    const databaseInfo = await database.inspect();
    expect(Object.keys(databaseInfo.NetworkSettings.Networks)).toEqual([moved]);
    expect(databaseInfo.NetworkSettings.Networks[moved]?.Aliases).toContain(`rise-db-${legacyProject}-main`);
    // Not Rise's: stays where it is.
    expect(Object.keys((await foreign.inspect()).NetworkSettings.Networks)).toEqual([network]);

    // Deleting the project: its network goes, with its leftover database disconnected first; a
    // container that is not the project's keeps the network.
    await docker.getNetwork(moved).connect({ Container: foreign.id });
    await expect(hostRuntime.deleteProject(legacyProject)).rejects.toThrow(
      `still has container rise-test-foreign-${runId}`,
    );
    await docker.getNetwork(moved).disconnect({ Container: foreign.id });
    await app.remove({ force: true });
    await hostRuntime.deleteProject(legacyProject);
    await hostRuntime.deleteProject(legacyProject);
    expect(await networksNamed(moved)).toEqual([]);
    expect(Object.keys((await database.inspect()).NetworkSettings.Networks)).toEqual([]);
    await Promise.all([database.remove({ force: true }), foreign.remove({ force: true })]);
    await docker.getNetwork(network).remove();
  });

  it('removes orphan project networks (project gone, only attached containers left), nothing else', async () => {
    const networks = projectNetworks({ attach: [attached] });
    await networks.ensure('orphan');
    await networks.ensure('kept');
    await networks.ensure('busy');
    const busy = await sleeper(`rise-test-busy-${runId}`, {}, `${network}-busy`);
    const other = new ProjectNetworks({
      docker,
      base: network,
      labels: labelKeys('dev.rise', `other-${runId}`),
      extraLabels: testLabels,
      subnetPool: TEST_SUBNET_POOL,
    });
    await other.ensure('stranger');
    const removed = await networkRuntime.removeOrphanProjects(async () => new Set(['kept', project]));
    expect(removed).toEqual([`${network}-orphan`]);
    expect(await networksNamed(`${network}-kept`)).toHaveLength(1);
    expect(await networksNamed(`${network}-busy`)).toHaveLength(1);
    expect(await networksNamed(`${network}-stranger`)).toHaveLength(1);
    await busy.remove({ force: true });
    await networks.remove('kept');
    await networks.remove('busy');
    await other.remove('stranger');
    expect(
      Object.keys((await docker.getContainer(attached).inspect()).NetworkSettings.Networks),
    ).not.toContain(`${network}-kept`);
  });

  it('names a missing attached container', async () => {
    await expect(
      projectNetworks({ attach: [`rise-test-missing-${runId}`] }).ensure('lonely'),
    ).rejects.toThrow(
      `RISE_DOCKER_ATTACH_CONTAINERS names container rise-test-missing-${runId}, which does not exist`,
    );
    await projectNetworks().remove('lonely');
    expect(await networksNamed(`${network}-lonely`)).toEqual([]);
  });

  it('refuses a host-mode instance without host port and names a missing image', async () => {
    await expect(hostRuntime.start(spec({ deploymentId: 'noport' }))).rejects.toThrow(/no host port/);
    const missing = '127.0.0.1:1/rise-missing-image:1';
    await expect(
      hostRuntime.start(spec({ deploymentId: 'noimage', image: missing, hostPort: await freePort() })),
    ).rejects.toThrow(`image ${missing} is not present locally and could not be pulled`);
    expect(await inspectByName(`rise-${project}-noimage`)).toBeNull();
  });
});
