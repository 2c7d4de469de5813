import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { createDatabaseHost } from '@/server/databases';
import type { DatabaseTarget } from '@/server/databases/types';
import { getDb } from '@/server/db';
import { handleDatabaseProvision } from '@/server/jobs/definitions/database-provision.handler';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { TEST_DATABASE_IMAGES } from '../../../../test/database-images';
import {
  removeContainersAndNetworks,
  removeInstanceResources,
  TEST_SUBNET_POOL,
} from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { getThroughProxy } from '../../../../test/http-through-proxy';
import { buildPsqlAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { RELEASE_DONE } from './deploy-command';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import { DEPLOYMENT_DONE } from './deployment-logs';
import type { EngineDeps } from './engine-deps';
import { runDeployment, TRAFFIC_SWITCHED } from './run-deployment';

// The release command against a real managed PostgreSQL database linked to the project: the database
// provisioned by the worker's job handler (in-process, on the project network the Docker runtime uses),
// the deploy engine in-process, real Docker and Caddy. The app image has psql and busybox: its release
// command writes a row through DATABASE_URL, its start command reads it and serves it.

const runId = randomBytes(4).toString('hex');
const instance = `test-${runId}`;
const docker = new Dockerode();
const network = `rise-test-${runId}`;
let image = '';
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;

const api = () => apiAs(userCaller(owner));
const name = `reldb-${runId}`;
const host = `${name}.localhost`;
const MARK = `mark-${runId}`;

/** Serves what the release wrote: read from the database once, at start, before httpd listens. */
const startCommand = (prefix: string) =>
  [
    'mkdir -p /www',
    `&& psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -tA -c "SELECT '${prefix}' || note FROM marks" > /www/index.html`,
    '&& echo ok > /www/health',
    `&& exec /bin/busybox httpd -f -p ${TEST_APP_PORT} -h /www`,
  ].join(' ');

const WRITE_MARK = `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "CREATE TABLE IF NOT EXISTS marks (note text); INSERT INTO marks VALUES ('${MARK}')"`;
const FAILING_RELEASE = `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "SELECT * FROM missing_table"`;

beforeAll(async () => {
  image = await buildPsqlAppImage('rise-test-psql-app:1', docker);
  // The API records the image a database runs from; the job handler's database host puts it on the
  // project network `<RISE_DOCKER_NETWORK>-<project>` of installation RISE_INSTANCE_ID, as the runtime does.
  env.RISE_DB_POSTGRES_IMAGE = TEST_DATABASE_IMAGES.postgres;
  env.RISE_DOCKER_NETWORK = network;
  env.RISE_INSTANCE_ID = instance;
  env.RISE_DOCKER_SUBNET_POOL = TEST_SUBNET_POOL;
  caddy = await startCaddy();
  const { first } = await claimPortBlock();
  const runtime = testDockerRuntime(runId, network);
  expect(runtime.projectNetwork(name)).toBe(`${network}-${name}`);
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
}, 600_000);

afterAll(async () => {
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
  // The database's container, volume and the project network: this installation's.
  await removeInstanceResources(docker, instance);
}, 120_000);

async function deploy() {
  const project = await getDb().project.findUniqueOrThrow({ where: { name } });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(image, name, docker),
  });
  await runDeployment(deps, deployment.id);
  const row = await deploymentRepo.findById(deployment.id);
  const events = await getDb().deploymentEvent.findMany({
    where: { deploymentId: deployment.id },
    orderBy: { id: 'asc' },
  });
  return { id: deployment.id, row: row!, messages: events.map((event) => event.message) };
}

const fetchApp = () => getThroughProxy(caddy.httpPort, host, { path: '/' });

/** Rows of `marks`, read in the database container (credentials from the API, as the backups test). */
async function marks(): Promise<string> {
  const database = await api().database.get({ project: name, database: 'main' });
  const { url } = await api().database.reveal({ project: name, database: 'main' });
  const target: DatabaseTarget = {
    engine: database.engine,
    host: database.host,
    credentials: {
      username: database.username,
      password: decodeURIComponent(new URL(url).password),
      database: database.databaseName,
    },
  };
  return (await createDatabaseHost().query(target, ['SELECT note FROM marks ORDER BY note'])).trim();
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

describe('release command with a linked managed PostgreSQL database', () => {
  it('writes to the database through the linked DATABASE_URL before the new version starts and reads it', {
    timeout: 300_000,
  }, async () => {
    const created = await api().database.create({
      project: name,
      name: 'main',
      engine: 'postgres',
      envPrefix: null,
    });
    expect(created.image).toBe(TEST_DATABASE_IMAGES.postgres);
    const linked = await api().database.link({ project: name, database: 'main', envPrefix: 'DATABASE' });
    expect(linked.envKeys).toContain('DATABASE_URL');
    // What the worker does with the database-provision job the API queued.
    await handleDatabaseProvision({ databaseId: created.id }, new AbortController().signal);
    const running = await api().database.get({ project: name, database: 'main' });
    expect(running.status, running.error ?? '').toBe('running');
    const container = await docker.getContainer(running.host).inspect();
    expect(Object.keys(container.NetworkSettings.Networks)).toEqual([`${network}-${name}`]);

    await api().project.update({
      project: name,
      releaseCommand: WRITE_MARK,
      startCommand: startCommand(''),
    });
    const first = await deploy();

    expect(first.row.status, first.messages.join('\n')).toBe('healthy');
    // The new version read the row once, at its start: the release had written it before.
    expect((await fetchApp()).body.trim()).toBe(MARK);
    expect(await marks()).toBe(MARK);
    const at = (prefix: string) => first.messages.findIndex((message) => message.startsWith(prefix));
    const order = [
      at(`Running the release command: ${WRITE_MARK}`),
      at('release: INSERT 0 1'),
      at(RELEASE_DONE),
      at('Starting '),
      at(TRAFFIC_SWITCHED('a')),
      at(DEPLOYMENT_DONE),
    ];
    expect(
      order.every((index) => index >= 0),
      first.messages.join('\n'),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a release that fails against the database fails the deployment; the previous version keeps serving', {
    timeout: 300_000,
  }, async () => {
    // The new version would serve `v2 <mark>`: any such answer means it took traffic.
    await api().project.update({
      project: name,
      releaseCommand: FAILING_RELEASE,
      startCommand: startCommand('v2 '),
    });
    const running = deploy();
    const { answers, polling } = pollWhile(running);
    const second = await running;
    await polling;

    expect(second.row.status, second.messages.join('\n')).toBe('failed');
    expect(second.row.error).toBe(
      `the release command "${FAILING_RELEASE}" exited with code 1. The previous version keeps serving.`,
    );
    expect(second.messages).toContain('release: ERROR:  relation "missing_table" does not exist');
    expect(second.messages.some((message) => message.startsWith('Starting '))).toBe(false);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer !== `200 ${MARK}`)).toEqual([]);
    expect((await fetchApp()).body.trim()).toBe(MARK);
    expect(await marks()).toBe(MARK);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`rise.test=${runId}`, `dev.rise.deployment=${second.id}`] },
    });
    expect(left).toEqual([]);
  });
});
