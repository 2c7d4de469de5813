import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { getThroughProxy } from '../../../../test/http-through-proxy';
import {
  buildShellAppImage,
  buildStateStoreImage,
  imageForProject,
  TEST_APP_PORT,
} from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { RELEASE_DONE } from './deploy-command';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import { DEPLOYMENT_DONE } from './deployment-logs';
import type { EngineDeps } from './engine-deps';
import { runDeployment, TRAFFIC_SWITCHED } from './run-deployment';

// Release, post-deploy and start commands for real: Docker, Caddy, PostgreSQL, the deploy engine
// in-process (as the worker runs it). The app's "database" is a store container on the project's
// network that the app finds through its env (STATE_URL), as it would find a linked database.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
const images: Record<string, string> = {};
let caddy: TestCaddy;
let runtime: DockerRuntime;
let deps: EngineDeps;
let owner: TestUser;
let stateStore = '';

const api = () => apiAs(userCaller(owner));
const name = `rel-${runId}`;
const host = `${name}.localhost`;
const MARK = `mark-${runId}`;

beforeAll(async () => {
  for (const version of ['v1', 'v2', 'v3', 'v4', 'v5']) {
    images[version] = await buildShellAppImage(`rise-test-shell-app:${version}`, version, docker);
  }
  stateStore = await buildStateStoreImage('rise-test-state-store:1', docker);
  caddy = await startCaddy();
  const { first } = await claimPortBlock();
  runtime = testDockerRuntime(runId, network);
  deps = testEngineDeps({
    docker,
    runtime,
    caddy,
    portRange: [first, first + 99],
    settings: { releaseTimeoutMs: 60_000 },
  });
  owner = await createUser();
  await api().project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  await api().env.set({
    project: name,
    vars: [
      { key: 'STATE_URL', value: `http://state-${runId}:${TEST_APP_PORT}`, secret: false },
      { key: 'RELEASE_MARK', value: MARK, secret: true },
    ],
  });
}, 180_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

async function deploy(version: string, engine: EngineDeps = deps) {
  const project = await getDb().project.findUniqueOrThrow({ where: { name } });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(images[version]!, name, docker),
  });
  await runDeployment(engine, deployment.id);
  const row = await deploymentRepo.findById(deployment.id);
  const events = await getDb().deploymentEvent.findMany({
    where: { deploymentId: deployment.id },
    orderBy: { id: 'asc' },
  });
  return { id: deployment.id, row: row!, messages: events.map((event) => event.message) };
}

const fetchApp = (path = '/') => getThroughProxy(caddy.httpPort, host, { path });

async function containers(label: string) {
  return docker.listContainers({ all: true, filters: { label: [`rise.test=${runId}`, label] } });
}

/** GETs through Caddy until `done` resolves; every answer's status and body. */
function pollWhile(done: Promise<unknown>) {
  const answers: string[] = [];
  const polling = (async () => {
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    while (!finished) {
      const response = await fetchApp().catch((error: Error) => ({ status: 0, body: error.message }));
      answers.push(`${response.status} ${response.body.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return { answers, polling };
}

describe('release command', () => {
  it('runs before the new version starts, with its env, on its network: the new version reads what it wrote', {
    timeout: 180_000,
  }, async () => {
    const first = await deploy('v1');
    expect(first.row.status).toBe('healthy');
    expect((await fetchApp()).body.trim()).toBe('v1');

    // The "database", reachable from the project's network under the name STATE_URL gives.
    const store = await docker.createContainer({
      name: `state-${runId}`,
      Image: stateStore,
      Labels: { 'rise.test': runId },
      HostConfig: { NetworkMode: runtime.projectNetwork(name) },
    });
    await store.start();

    await api().project.update({
      project: name,
      releaseCommand:
        'echo "migrating with $RELEASE_MARK"; wget -qO- --post-data "schema 2 by $RELEASE_MARK" "$STATE_URL/cgi-bin/set"',
    });
    const second = await deploy('v2');

    expect(second.row.status, second.messages.join('\n')).toBe('healthy');
    // v2 read the store once, at its start: the release had written it before.
    expect((await fetchApp('/state')).body.trim()).toBe(`schema 2 by ${MARK}`);
    expect((await fetchApp()).body.trim()).toBe('v2');
    const at = (prefix: string) => second.messages.findIndex((message) => message.startsWith(prefix));
    const order = [
      at('Running the release command: echo "migrating with $RELEASE_MARK"'),
      at(`release: migrating with ${MARK}`),
      at('release: stored'),
      at(RELEASE_DONE),
      at('Starting '),
      at(TRAFFIC_SWITCHED('b')),
      at(DEPLOYMENT_DONE),
    ];
    expect(
      order.every((index) => index >= 0),
      second.messages.join('\n'),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The one-off container is gone.
    expect(await containers('dev.rise.one-off')).toEqual([]);
  });

  it('fails the deployment when it exits 1, naming command and code; v1 keeps answering through Caddy', {
    timeout: 180_000,
  }, async () => {
    await api().project.update({ project: name, releaseCommand: 'echo "cannot migrate" >&2; exit 1' });
    const running = deploy('v3');
    const { answers, polling } = pollWhile(running);
    const third = await running;
    await polling;

    expect(third.row.status).toBe('failed');
    expect(third.row.error).toBe(
      'the release command "echo "cannot migrate" >&2; exit 1" exited with code 1. The previous version keeps serving.',
    );
    expect(third.messages).toContain('release: cannot migrate');
    expect(third.messages.some((message) => message.startsWith('Starting '))).toBe(false);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer !== '200 v2')).toEqual([]);
    expect((await fetchApp()).body.trim()).toBe('v2');
    // Neither a v3 instance nor the one-off container is left.
    expect(await containers(`dev.rise.deployment=${third.id}`)).toEqual([]);
  });

  it('is stopped at RISE_RELEASE_TIMEOUT and fails the deployment; the container is removed', {
    timeout: 120_000,
  }, async () => {
    await api().project.update({ project: name, releaseCommand: 'echo waiting; sleep 60' });
    const quick = { ...deps, settings: { ...deps.settings, releaseTimeoutMs: 2000 } };
    const started = Date.now();
    const fourth = await deploy('v4', quick);

    expect(fourth.row.status).toBe('failed');
    expect(fourth.row.error).toBe(
      'the release command "echo waiting; sleep 60" did not finish within 2 s (RISE_RELEASE_TIMEOUT) and was stopped. The previous version keeps serving.',
    );
    expect(fourth.messages).toContain('release: waiting');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await containers(`dev.rise.deployment=${fourth.id}`)).toEqual([]);
    expect((await fetchApp()).body.trim()).toBe('v2');
  });
});

describe('start command', () => {
  it("replaces the image's command; a failing post-deploy command only warns", {
    timeout: 120_000,
  }, async () => {
    await api().project.update({
      project: name,
      releaseCommand: null,
      startCommand: `exec httpd -f -p ${TEST_APP_PORT} -h /www-override`,
      postDeployCommand: ['sh', '-c', 'echo "post-deploy ran"; exit 4'],
    });
    const fifth = await deploy('v5');

    expect(fifth.row.status, fifth.messages.join('\n')).toBe('healthy');
    expect((await fetchApp()).body.trim()).toBe('override v5');
    const switched = fifth.messages.indexOf(TRAFFIC_SWITCHED('a'));
    const ran = fifth.messages.indexOf('post-deploy: post-deploy ran');
    const warned = fifth.messages.indexOf(
      'Post-deploy command failed: the post-deploy command ["sh","-c","echo \\"post-deploy ran\\"; exit 4"] exited with code 4',
    );
    expect(
      [switched, ran, warned].every((index) => index >= 0),
      fifth.messages.join('\n'),
    ).toBe(true);
    expect(switched < ran && ran < warned).toBe(true);
    expect(fifth.messages.at(-1)).toBe(DEPLOYMENT_DONE);
    expect(await containers('dev.rise.one-off')).toEqual([]);
  });
});
