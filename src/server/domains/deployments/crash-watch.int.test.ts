import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import type { InstanceExit } from '@/server/runtime/types';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks, TEST_SUBNET_POOL } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import {
  buildCrashLoopImage,
  buildTestAppImage,
  imageForProject,
  TEST_APP_PORT,
} from '../../../../test/images';
import { watchCrashes } from './crash-watch';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import type { EngineDeps } from './engine-deps';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';
import { stopProject } from './stop-project';

// The worker's crash watch against the real Docker engine: Docker's `die` events trigger the reconciler
// (here called in-process, as the queued job would call it). Nothing else reconciles in this file: the
// worker's scheduled pass would come a minute later at best, so a restart within seconds of a crash is
// the watch's doing.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
// The first restart comes at once; the next ones not for ten minutes, so each app restarts once here.
const BACKOFF = { initialMs: 600_000, maxMs: 600_000 };
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;
let crashLoop = '';
let v1 = '';
let reconciles = 0;
const stops: (() => void)[] = [];

const reconcileSoon = async () => {
  reconciles++;
  await reconcile(deps, undefined, { runtime: 'docker' });
};

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
      crashLoop: { restarts: 3, stableAfterMs: 120_000 },
    },
  });
  owner = await createUser();
}, 180_000);

afterAll(async () => {
  for (const stop of stops) stop();
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

async function deployed(image: string) {
  const name = `crw-${runId}-${randomBytes(2).toString('hex')}`;
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

/** Waits for the container's first restart; returns how long after its crash it came. */
async function firstRestartDelayMs(container: Dockerode.Container, firstStart: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { State } = await container.inspect();
    // While it runs again, FinishedAt is still its previous (the crashed) run's end.
    if (State.StartedAt !== firstStart && State.Running) {
      return Date.parse(State.StartedAt) - Date.parse(State.FinishedAt);
    }
    await sleep(100);
  }
  throw new Error('the crashed app was not restarted within 30 s');
}

/** The worker's crash watch over `runtime`, reconciling in-process; each test stops its own. */
function watching(runtime: EngineDeps['runtime'], log: (line: string) => void = () => {}): () => void {
  const stop = watchCrashes({ repos: deps.repos, runtime }, reconcileSoon, log);
  if (!stop) throw new Error(`runtime ${runtime.name} tells nothing of exits`);
  stops.push(stop);
  return stop;
}

/** Every exit the runtime tells of, to know an event arrived when the watch must not react to it. */
function recordExits(runtime: DockerRuntime): InstanceExit[] {
  const exits: InstanceExit[] = [];
  stops.push(runtime.watchExits({ onExit: (exit) => exits.push(exit) }));
  return exits;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/**
 * A proxy in front of the Docker socket whose connections can be cut, as a daemon restart cuts them.
 */
async function cuttableDockerSocket(): Promise<{
  docker: Dockerode;
  cut: () => void;
  close: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'rise-docker-proxy-'));
  const path = join(dir, 'docker.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection('/var/run/docker.sock');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    docker: new Dockerode({ socketPath: path }),
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('crash watch', () => {
  it('restarts a crashed app within seconds of its death, without a scheduled reconcile', async () => {
    const stop = watching(deps.runtime);
    const { project, deployment, container } = await deployed(crashLoop);
    const firstStart = (await container.inspect()).State.StartedAt;

    const delay = await firstRestartDelayMs(container, firstStart);
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThan(5000);
    const row = await getDb().deployment.findUniqueOrThrow({ where: { id: deployment.id } });
    expect(row.restartCount).toBe(1);
    expect(row.lastExitCode).toBe(1);
    expect(row.lastCrashLog).toContain('fatal: lost the database');
    const crashed = await getDb().notificationEvent.findMany({
      where: { projectId: project.id, kind: 'app.crashed' },
    });
    expect(crashed).toHaveLength(1);
    stop();
    // It would crash again in ten seconds, and the next test's watch would rightly reconcile for it.
    await getDb().project.update({ where: { id: project.id }, data: { desiredState: 'stopped' } });
    await stopProject(deps, project.id);
  }, 120_000);

  it('does not reconcile for an app Rise stops on purpose', async () => {
    const logged: string[] = [];
    const stop = watching(deps.runtime, (line) => logged.push(line));
    const exits = recordExits(testDockerRuntime(runId, network));
    const { project, deployment } = await deployed(v1);
    await getDb().project.update({ where: { id: project.id }, data: { desiredState: 'stopped' } });
    const before = reconciles;
    await stopProject(deps, project.id);
    await until('Docker told of the stop', () => exits.some((exit) => exit.deploymentId === deployment.id));
    // The watch looks the deployment up before it triggers anything: time for it to have done so.
    await sleep(1000);
    expect(logged.filter((line) => line.includes(deployment.id))).toEqual([]);
    expect(reconciles).toBe(before);
    expect(exits.find((exit) => exit.deploymentId === deployment.id)).toMatchObject({
      project: project.name,
      slot: 'a',
    });
    stop();
  }, 120_000);

  it('listens again when the event stream is cut, and reconciles what it may have missed', async () => {
    const socket = await cuttableDockerSocket();
    try {
      const runtime = new DockerRuntime({
        docker: socket.docker,
        instance: `test-${runId}`,
        network,
        upstreamMode: 'host',
        extraLabels: { 'rise.test': runId },
        subnetPool: TEST_SUBNET_POOL,
      });
      const logged: string[] = [];
      const stop = watching(runtime, (line) => logged.push(line));
      // Connected: the engine answered the events request (the stream stays open).
      await sleep(500);
      const before = reconciles;
      socket.cut();
      await until('the watch noticed the cut', () => logged.some((line) => line.includes('listening again')));
      // Resumed: one reconcile for whatever died meanwhile.
      await until('the watch resumed', () => reconciles === before + 1);

      const { container } = await deployed(crashLoop);
      const firstStart = (await container.inspect()).State.StartedAt;
      const delay = await firstRestartDelayMs(container, firstStart);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThan(5000);
      stop();
    } finally {
      socket.cut();
      await socket.close();
    }
  }, 120_000);
});
