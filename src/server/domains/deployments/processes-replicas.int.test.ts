import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { type AppsEdge, startAppsEdge } from '@/server/platform/apps-edge';
import { enableListenerMigration, MIGRATION_OFF_HINT } from '@/server/proxy/listener-migration';
import type { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { processOf, replicaOf } from '@/server/runtime/types';
import type { ProjectProcesses } from '@/shared/processes/process.schema';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { getThroughProxy, loadLoop } from '../../../../test/http-through-proxy';
import { buildShellAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { sampleRunningApps } from '../app-metrics/app-metrics.service';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import type { EngineDeps } from './engine-deps';
import { reconcile } from './reconcile';
import { runDeployment } from './run-deployment';
import { scaleProject } from './scale-project';

// Processes and replicas for real: Docker, Caddy, PostgreSQL, the deploy engine in-process. Each web
// replica answers its own container's hostname, so requests through Caddy show which replicas serve.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
let caddy: TestCaddy;
let edge: AppsEdge;
let runtime: DockerRuntime;
let deps: EngineDeps;
let owner: TestUser;
let image = '';

const name = `prc-${runId}`;
const host = `${name}.localhost`;
const api = () => apiAs(userCaller(owner));

/** Serves its hostname at `/`; SIGTERM lets requests in flight finish. */
const WEB = [
  '/bin/sh',
  '-c',
  "hostname > /www/index.html; httpd -f -p 8080 -h /www & pid=$!; trap 'kill -TERM $pid; sleep 1; exit 0' TERM INT; wait $pid",
];
const WORKER = ['/bin/sh', '-c', 'echo worker up; while true; do sleep 1; done'];
const worker = (replicas: number, command = WORKER): ProjectProcesses => ({
  worker: { command, replicas, cpuLimit: null, memoryLimitMb: null },
});

beforeAll(async () => {
  image = await buildShellAppImage('rise-test-shell-app:v1', 'v1', docker);
  caddy = await startCaddy();
  // As `npm start` and compose serve apps: the edge on the public port, Caddy behind it. A client kept
  // alive straight to Caddy can see a reset when a route write (scaling) races its connection's close.
  edge = await startAppsEdge({ host: '127.0.0.1', port: 0, upstreamPort: caddy.httpPort });
  const { first } = await claimPortBlock();
  runtime = testDockerRuntime(runId, network);
  deps = testEngineDeps({
    docker,
    runtime,
    caddy,
    portRange: [first, first + 99],
    settings: { processGraceMs: 2000, settleMs: 1000 },
  });
  owner = await createUser();
  await api().project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  await setProject({ desiredState: 'running', startCommand: WEB, replicas: 3, processes: worker(1) });
}, 180_000);

afterAll(async () => {
  await edge?.close();
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

function setProject(data: {
  desiredState?: 'running';
  startCommand?: string[];
  replicas?: number;
  processes?: ProjectProcesses;
}) {
  return getDb().project.update({ where: { name }, data });
}

async function deploy() {
  const project = await getDb().project.findUniqueOrThrow({ where: { name } });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(image, name, docker),
  });
  await runDeployment(deps, deployment.id);
  return { project, deployment: (await deploymentRepo.findById(deployment.id))! };
}

/** `process/replica state` of every instance of the deployment, sorted. */
async function instancesOf(deploymentId: string): Promise<string[]> {
  return (await runtime.list({ project: name }))
    .filter((instance) => instance.deploymentId === deploymentId)
    .map((instance) => `${processOf(instance)}/${replicaOf(instance)} ${instance.state}`)
    .sort();
}

/** The distinct bodies (hostnames) of `count` GETs through Caddy, each on a new connection. */
async function servingHosts(count: number): Promise<Set<string>> {
  const bodies = new Set<string>();
  for (let i = 0; i < count; i++) {
    const answer = await getThroughProxy(caddy.httpPort, host);
    expect(answer.status).toBe(200);
    bodies.add(answer.body.trim());
  }
  return bodies;
}

const container = (deploymentId: string, suffix = '') =>
  docker.getContainer(`rise-${name}-${deploymentId}${suffix}`);

describe('processes and replicas', () => {
  let active = '';

  it('deploys web ×3 and worker ×1; Caddy balances requests over the three web replicas', {
    timeout: 180_000,
  }, async () => {
    const { deployment } = await deploy();
    expect(deployment.status).toBe('healthy');
    active = deployment.id;
    expect(await instancesOf(active)).toEqual([
      'web/0 running',
      'web/1 running',
      'web/2 running',
      'worker/0 running',
    ]);
    expect(deployment.webReplicas).toBe(3);
    const hostnames = await Promise.all(
      ['', '-web-1', '-web-2'].map(
        async (suffix) => (await container(active, suffix).inspect()).Config.Hostname,
      ),
    );
    expect(await servingHosts(60)).toEqual(new Set(hostnames));
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: active } });
    expect(events.map((event) => event.message)).toContain('Processes up: worker ×1');
    const logs: string[] = [];
    for await (const line of runtime.logs(name, active, {
      follow: false,
      tail: 10,
      instance: { process: 'worker', replica: 0 },
    })) {
      logs.push(line.line);
    }
    expect(logs).toContain('worker up');

    // Resource figures add up every replica of every process.
    await sampleRunningApps({ runtimeOf: () => runtime, now: () => new Date() });
    const [sample] = await getDb().appMetricSample.findMany({ where: { projectId: deployment.projectId } });
    expect(sample?.instances).toBe(4);
  });

  it('loses no GET while one web replica is killed, and the reconciler restarts that replica', {
    timeout: 120_000,
  }, async () => {
    let killedAt = 0;
    const load = loadLoop({
      port: edge.port,
      host,
      clients: 4,
      minimum: 200,
      maxMs: 60_000,
      until: () => killedAt > 0 && Date.now() - killedAt > 3000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await container(active, '-web-1').kill();
    killedAt = Date.now();
    const stats = await load;
    expect(stats.failures).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThanOrEqual(200);

    expect(await instancesOf(active)).toContain('web/1 exited');
    await reconcile(deps, undefined, { runtime: 'docker' });
    expect(await instancesOf(active)).toEqual([
      'web/0 running',
      'web/1 running',
      'web/2 running',
      'worker/0 running',
    ]);
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: active } });
    expect(events.map((event) => event.message)).toContain('Instance web/1 exited with code 137; restart #1');
  });

  it('scales web to 1 and worker to 2 without a redeploy, losing no GET', { timeout: 120_000 }, async () => {
    // Each route write replaces Caddy's listeners; see caddy-proxy.int.test.ts.
    expect(await enableListenerMigration(), MIGRATION_OFF_HINT).toMatch(/^(on|turned-on)$/);
    const project = await setProject({ replicas: 1, processes: worker(2) });
    const primaryStartedAt = (await container(active).inspect()).State.StartedAt;
    let scaled = false;
    const load = loadLoop({
      port: edge.port,
      host,
      clients: 4,
      minimum: 100,
      maxMs: 60_000,
      until: () => scaled,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scaleProject(deps, project.id);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    scaled = true;
    const stats = await load;
    expect(stats.failures).toEqual([]);
    expect(stats.failed).toBe(0);

    expect(await instancesOf(active)).toEqual(['web/0 running', 'worker/0 running', 'worker/1 running']);
    const after = await getDb().project.findUniqueOrThrow({ where: { name } });
    expect(after.activeDeploymentId).toBe(active);
    expect((await deploymentRepo.findById(active))?.webReplicas).toBe(1);
    // The replica that serves was never restarted: scaling is not a redeploy.
    expect((await container(active).inspect()).State.StartedAt).toBe(primaryStartedAt);
    expect(await servingHosts(10)).toEqual(new Set([(await container(active).inspect()).Config.Hostname]));
  });

  it('scales web back up to 2: the new replica joins the route once healthy', {
    timeout: 120_000,
  }, async () => {
    const project = await setProject({ replicas: 2 });
    await scaleProject(deps, project.id);
    expect(await instancesOf(active)).toEqual([
      'web/0 running',
      'web/1 running',
      'worker/0 running',
      'worker/1 running',
    ]);
    expect((await deploymentRepo.findById(active))?.webReplicas).toBe(2);
    expect((await servingHosts(40)).size).toBe(2);
  });

  it('fails a deployment whose worker exits at once; the previous version keeps serving', {
    timeout: 120_000,
  }, async () => {
    await setProject({ processes: worker(1, ['/bin/sh', '-c', 'echo cannot reach the queue; exit 3']) });
    const { project, deployment } = await deploy();
    expect(deployment.status).toBe('failed');
    expect(deployment.error).toContain('process worker (replica 0) exited with code 3');
    expect(deployment.error).toContain('cannot reach the queue');
    expect(deployment.error).toContain('The previous version keeps serving');
    expect((await getDb().project.findUniqueOrThrow({ where: { id: project.id } })).activeDeploymentId).toBe(
      active,
    );
    expect(await instancesOf(deployment.id)).toEqual([]);
    expect((await servingHosts(10)).size).toBeGreaterThan(0);
  });
});
