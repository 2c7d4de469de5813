import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { mintAppSession } from '@/server/domains/proxy-access/app-session';
import { type AppsEdge, startAppsEdge } from '@/server/platform/apps-edge';
import { enableListenerMigration, MIGRATION_OFF_HINT } from '@/server/proxy/listener-migration';
import { signUpLocally } from './api-client';
import { startCaddy, type TestCaddy } from './caddy';
import { removeInstanceResources, TEST_SUBNET_POOL } from './docker-networks';
import { apiAs, createUser, type TestUser, uniqueName, userCaller } from './fixtures';
import { getThroughProxy, loadLoop } from './http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from './images';
import { type NextServer, startNextServer } from './next-server';
import { claimPortBlock } from './port-blocks';
import { type WaitOptions, waitFor } from './wait';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

// The whole deploy engine for real: worker process, Docker engine, Caddy, PostgreSQL, and the web app
// (for private projects' forward-auth). Images are built locally from busybox.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const images = { v1: '', v2: '', v3: '', bad: '' };
let caddy: TestCaddy;
/** `npm start`'s edge in front of Caddy: clients under load come through it, as in production. */
let edge: AppsEdge;
let web: NextServer;
let worker: WorkerProcess;
let workerEnv: Record<string, string>;
let owner: TestUser;
let boss: PgBoss;

const api = () => apiAs(userCaller(owner));

const withWorkerOutput = (description: string, timeoutMs = 90_000): WaitOptions => ({
  description,
  timeoutMs,
  context: () => worker?.output(),
});

async function settled(project: string, deployment: string): Promise<DeploymentView> {
  return waitFor(
    async () => {
      const view = await api().deployment.get({ project, deployment });
      return ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'].includes(view.status)
        ? view
        : null;
    },
    withWorkerOutput(`deployment ${deployment} to settle`),
  );
}

/** Waits until the deployment is done, including the removal of the version it replaced. */
async function finished(project: string, deployment: string) {
  const view = await settled(project, deployment);
  if (view.status === 'healthy') {
    await waitFor(
      () =>
        getDb().deploymentEvent.findFirst({
          where: { deploymentId: deployment, message: 'Deployment successful' },
        }),
      withWorkerOutput('the previous version to be removed'),
    );
  }
  return view;
}

// Local images run only for the project they are labelled for (as `rise d c` labels its builds).
const deploy = async (project: string, image: string) =>
  finished(
    project,
    (await api().deployment.create({ project, image: await imageForProject(image, project) })).id,
  );

const host = (project: string) => `${project}.localhost`;
const fetchApp = (project: string, headers: Record<string, string> = {}) =>
  getThroughProxy(caddy.httpPort, host(project), { headers });

async function containersOf(project: string) {
  return docker.listContainers({ all: true, filters: { label: [`dev.rise.project=${project}`] } });
}

beforeAll(async () => {
  const [v1, v2, v3, bad] = await Promise.all([
    buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' }),
    buildTestAppImage({ tag: 'rise-test-app:v2', version: 'v2' }),
    buildTestAppImage({ tag: 'rise-test-app:v3', version: 'v3' }),
    buildTestAppImage({ tag: 'rise-test-app:unhealthy', version: 'unhealthy', healthy: false }),
  ]);
  Object.assign(images, { v1, v2, v3, bad });
  // On, as README asks of hosts running Caddy (see listener-migration.ts: without it, a route write
  // resets the few new connections queued on the listener Caddy replaces). Left on: putting it back
  // would race the other test files that measure resets.
  expect(await enableListenerMigration(), MIGRATION_OFF_HINT).toMatch(/^(on|turned-on)$/);
  caddy = await startCaddy();
  edge = await startAppsEdge({ host: '127.0.0.1', port: 0, upstreamPort: caddy.httpPort });
  // Several local accounts sign up (a member and a stranger) without invitations.
  web = await startNextServer({
    RISE_LOCAL_AUTH: 'true',
    RISE_LOCAL_SIGNUP: 'open',
    RISE_BASE_DOMAIN: 'localhost',
  });
  const portBase = (await claimPortBlock()).first;
  workerEnv = {
    RISE_URL: web.url,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_PROXY_HTTP_PORT: String(caddy.httpPort),
    RISE_PROXY_HTTPS_PORT: String(caddy.httpsPort),
    RISE_PROXY_BIND_HOST: '127.0.0.1',
    RISE_DOCKER_NETWORK: `rise-test-${runId}`,
    RISE_INSTANCE_ID: `test-${runId}`,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_APP_PORT_RANGE: `${portBase}-${portBase + 99}`,
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_HEALTH_CHECK_ATTEMPTS: '50',
    RISE_SWITCH_SETTLE_MS: '500',
    RISE_STOP_GRACE_MS: '2000',
    RISE_WORKER_SUPERVISE_SECONDS: '2',
    RISE_RESTART_BACKOFF_MS: '500',
  };
  worker = await startWorkerProcess(workerEnv);
  owner = await createUser();
  boss = new PgBoss({
    connectionString: process.env.DATABASE_URL!,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  await boss.start();
}, 300_000);

afterAll(async () => {
  if (process.env.RISE_TEST_DEBUG) console.log(worker?.output(), caddy?.output().slice(-5000));
  await boss?.stop({ graceful: false });
  await worker?.stop();
  await web?.stop();
  await edge?.close();
  await caddy?.stop();
  await removeInstanceResources(docker, `test-${runId}`);
}, 120_000);

describe('deploy engine with real Docker and Caddy', () => {
  const project = `e2e-${runId}-app`;

  it('deploys an image and serves it through Caddy at <project>.<base domain>', async () => {
    await api().project.create({ name: project, port: TEST_APP_PORT, healthPath: '/health' });
    const deployment = await deploy(project, images.v1);
    expect(deployment).toMatchObject({ status: 'healthy', active: true, slot: 'a' });
    expect(deployment.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const response = await waitFor(async () => {
      const r = await fetchApp(project);
      return r.status === 200 ? r : null;
    }, withWorkerOutput('the app through Caddy'));
    expect(response.body.trim()).toBe('v1');
    expect((await api().project.get({ project })).status).toBe('running');
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: deployment.id } });
    expect(events.map((e) => e.message)).toContain('Deployment successful');
  });

  it('redeploys three times under load through the edge with zero failed requests', async () => {
    let done = false;
    const load = loadLoop({
      port: edge.port,
      host: host(project),
      clients: 10,
      minimum: 2000,
      maxMs: 180_000,
      until: () => done,
    });
    const results: DeploymentView[] = [];
    try {
      for (const image of [images.v2, images.v3, images.v1]) results.push(await deploy(project, image));
    } finally {
      done = true;
    }
    const stats = await load;
    expect(results.map((d) => d.status)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(results.map((d) => d.slot)).toEqual(['b', 'a', 'b']);
    expect(stats.ok + stats.failed).toBeGreaterThanOrEqual(2000);
    expect(stats.failures.slice(0, 5)).toEqual([]);
    expect(stats.failed).toBe(0);
    expect([...stats.bodies.keys()].sort()).toEqual(['v1', 'v2', 'v3']);
    console.log(
      `redeploy under load: ${stats.ok} ok, ${stats.failed} failed, bodies ${JSON.stringify([...stats.bodies])}`,
    );
    // Superseded instances are gone; only the active one runs.
    const running = await containersOf(project);
    expect(running.map((c) => c.Labels['dev.rise.deployment'])).toEqual([results[2]!.id]);
  }, 240_000);

  it('a version failing its health check never gets traffic; the old one keeps serving', async () => {
    let done = false;
    const load = loadLoop({
      port: edge.port,
      host: host(project),
      clients: 4,
      minimum: 200,
      maxMs: 120_000,
      until: () => done,
    });
    const failed = await deploy(project, images.bad).finally(() => (done = true));
    const stats = await load;
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('404');
    expect(failed.active).toBe(false);
    expect(stats.failed).toBe(0);
    expect([...stats.bodies.keys()]).toEqual(['v1']);
    expect((await fetchApp(project)).body.trim()).toBe('v1');
    expect((await containersOf(project)).length).toBe(1);
  }, 180_000);

  it('rolls back to the previous digest without a rebuild', async () => {
    const before = await api().deployment.list({ project, limit: 10 });
    const v3 = before.find((d) => d.image?.startsWith('rise-test-app-for-') && d.image.endsWith(':v3'))!;
    const rollback = await api().deployment.rollback({ project });
    expect(rollback.rolledBackFrom).toBe(v3.id);
    const done = await finished(project, rollback.id);
    expect(done).toMatchObject({ status: 'healthy' });
    expect(done.imageDigest).toBe(v3.imageDigest);
    const answer = await fetchApp(project);
    expect({ status: answer.status, body: answer.body.trim() }, worker.output().slice(-4000)).toEqual({
      status: 200,
      body: 'v3',
    });
  }, 120_000);

  it('stop shows the stopped page; start brings the app back', async () => {
    await api().deployment.stop({ project });
    const stopped = await waitFor(async () => {
      const r = await fetchApp(project);
      return r.status === 503 ? r : null;
    }, withWorkerOutput('the stopped page'));
    expect(stopped.body).toContain('stopped');
    await waitFor(
      async () => (await containersOf(project)).length === 0,
      withWorkerOutput('instances to be removed'),
    );
    expect((await api().project.get({ project })).status).toBe('stopped');

    const started = await finished(project, (await api().deployment.start({ project })).id);
    expect(started).toMatchObject({ status: 'healthy' });
    const back = await waitFor(async () => {
      const r = await fetchApp(project);
      return r.status === 200 ? r : null;
    }, withWorkerOutput('the app again'));
    expect(back.body.trim()).toBe('v3');
  }, 120_000);

  it('a worker killed mid-deploy: the deployment still finishes after a restart, with no orphans, and traffic moves once, after Rise declared it healthy', async () => {
    // One client through the edge for the whole test: which version answered, and when.
    const seen: { end: number; body: string; detail?: string }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const answer = await getThroughProxy(edge.port, host(project)).catch((error: Error) => ({
          status: 0,
          body: error.message,
        }));
        seen.push({
          end: Date.now(),
          body: answer.status === 200 ? answer.body.trim() : `HTTP ${answer.status}`,
          // Who answered a failure (the edge names itself in its 502s; Caddy's are empty), and when.
          ...(answer.status === 200 ? {} : { detail: `${answer.body.slice(0, 300)} at ${Date.now()}` }),
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const created = await api().deployment.create({
      project,
      image: await imageForProject(images.v2, project),
    });
    await waitFor(
      async () => (await api().deployment.get({ project, deployment: created.id })).status === 'deploying',
      withWorkerOutput('the deploy to start', 60_000),
    );
    worker.child.kill('SIGKILL');
    await worker.stop();
    expect((await api().deployment.get({ project, deployment: created.id })).status).toBe('deploying');

    worker = await startWorkerProcess(workerEnv);
    const done = await finished(project, created.id);
    expect(done).toMatchObject({ status: 'healthy' });
    const running = await waitFor(async () => {
      const containers = await containersOf(project);
      return containers.length === 1 ? containers : null;
    }, withWorkerOutput('orphans to be removed'));
    expect(running[0]!.Labels['dev.rise.deployment']).toBe(created.id);
    expect((await fetchApp(project)).body.trim()).toBe('v2');
    sampling = false;
    await sampler;
    const moving = await getDb().deploymentEvent.findFirstOrThrow({
      where: { deploymentId: created.id, message: { startsWith: 'Healthy: moving traffic' } },
    });
    // v3 until the switch, v2 after it: one change, never back, none before Rise's own check passed.
    const changes = seen.map((sample) => sample.body).filter((body, index, all) => body !== all[index - 1]);
    const failures = seen
      .filter((sample) => sample.detail)
      .map((sample) => `${sample.body}: ${sample.detail}`);
    const events = await getDb().deploymentEvent.findMany({
      where: { deploymentId: created.id },
      orderBy: { id: 'asc' },
    });
    const timeline = events.map((event) => `${event.createdAt.getTime()} ${event.message}`).join('\n');
    expect(changes, `${failures.join('\n')}\n${timeline}`).toEqual(['v3', 'v2']);
    expect(seen.filter((sample) => sample.body === 'v2' && sample.end < moving.createdAt.getTime())).toEqual(
      [],
    );
  }, 180_000);

  it('after a Caddy restart the route is back within one reconcile', async () => {
    await caddy.restart();
    await expect(fetchApp(project)).rejects.toThrow();
    await boss.send('reconcile', {});
    const back = await waitFor(async () => {
      const r = await fetchApp(project).catch(() => null);
      return r?.body.trim() === 'v2' ? r : null;
    }, withWorkerOutput('the route after reconcile'));
    expect(back.status).toBe(200);
  }, 120_000);

  it('a private project refuses anonymous requests and serves a signed-in member of its team', async () => {
    const privateProject = `e2e-${runId}-private`;
    const memberEmail = `member-${runId}@example.test`;
    const memberCookie = await signUpLocally(web.url, {
      email: memberEmail,
      password: 'correct-horse-battery',
    });
    const strangerCookie = await signUpLocally(web.url, {
      email: `stranger-${runId}@example.test`,
      password: 'correct-horse-battery',
    });
    const member = await getDb().user.findUniqueOrThrow({ where: { email: memberEmail } });
    const team = uniqueName('crew');
    await api().team.create({ name: team });
    await api().team.addMember({ team, user: member.username, role: 'viewer' });
    await api().project.create({
      name: privateProject,
      visibility: 'private',
      owner: `team:${team}`,
      port: TEST_APP_PORT,
      healthPath: '/health',
    });
    const created = await api().deployment.create({
      project: privateProject,
      image: await imageForProject(images.v1, privateProject),
    });
    expect(await finished(privateProject, created.id)).toMatchObject({ status: 'healthy' });

    const anonymous = await waitFor(async () => {
      const r = await fetchApp(privateProject);
      return r.status === 401 ? r : null;
    }, withWorkerOutput('the private route'));
    expect(anonymous.body).toContain('Sign in');
    const browser = await fetchApp(privateProject, { accept: 'text/html' });
    expect(browser.status).toBe(302);
    expect(browser.headers.location).toContain(`${web.url}/api/proxy/authorize?host=`);
    // Rise's own session cookie opens no app; the app host's cookie (from the handshake, see
    // test/security/app-credentials.int.test.ts) does, for members only.
    expect((await fetchApp(privateProject, { cookie: memberCookie })).status).toBe(401);
    const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name: privateProject } });
    const appCookie = async (cookie: string) => {
      const session = await getDb().session.findUniqueOrThrow({
        where: { sessionToken: cookie.split('=')[1]! },
      });
      return `rise_app_session=${await mintAppSession({ userId: session.userId, projectId }, 600)}`;
    };
    expect((await fetchApp(privateProject, { cookie: await appCookie(strangerCookie) })).status).toBe(403);
    const spoofed = await fetchApp(privateProject, { 'x-rise-user': member.username });
    expect(spoofed.status).toBe(401);
    const signedIn = await fetchApp(privateProject, { cookie: await appCookie(memberCookie) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.trim()).toBe('v1');
  }, 180_000);

  it('making a running public project private protects it at once, not at the next reconcile', async () => {
    const flipped = `e2e-${runId}-flip`;
    await api().project.create({ name: flipped, port: TEST_APP_PORT, healthPath: '/health' });
    const created = await api().deployment.create({
      project: flipped,
      image: await imageForProject(images.v1, flipped),
    });
    expect(await finished(flipped, created.id)).toMatchObject({ status: 'healthy' });
    await waitFor(async () => (await fetchApp(flipped)).status === 200, withWorkerOutput('the public route'));

    await api().project.update({ project: flipped, visibility: 'private' });
    // The periodic reconcile runs once a minute; the update itself must bring forward-auth.
    const closed = await waitFor(
      async () => ((await fetchApp(flipped)).status === 401 ? true : null),
      withWorkerOutput('the route to require sign-in', 20_000),
    );
    expect(closed).toBe(true);
    await api().project.delete({ project: flipped });
  }, 120_000);

  it('deleting a project removes its instances and route', { timeout: 120_000 }, async () => {
    await api().project.delete({ project });
    // The route goes before the instances stop: the first answer that is not the app is "no such
    // app" (404), never a failing upstream (502/503) while the containers shut down.
    const gone = await waitFor(async () => {
      const r = await fetchApp(project).catch(() => null);
      return r && r.status !== 200 ? r : null;
    }, withWorkerOutput('the route to go'));
    expect(gone.status).toBe(404);
    await waitFor(
      async () => (await containersOf(project)).length === 0,
      withWorkerOutput('instances to go'),
    );
    // And its network, which nothing of another project could join anyway.
    const network = `rise-test-${runId}-${project}`;
    await waitFor(
      async () =>
        (await docker.listNetworks({ filters: { name: [network] } })).every((n) => n.Name !== network),
      withWorkerOutput('the project network to go'),
    );
  });
});
