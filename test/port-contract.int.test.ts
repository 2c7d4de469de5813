import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { startCaddy, type TestCaddy } from './caddy';
import { removeInstanceResources } from './docker-networks';
import { apiAs, createUser, type TestUser, userCaller } from './fixtures';
import { getThroughProxy } from './http-through-proxy';
import { buildPortReadingAppImage, imageForProject } from './images';
import { isolatedEngineEnv } from './isolated-engine-env';
import { type WaitOptions, waitFor } from './wait';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

// The port contract (Heroku/Render convention) for real: worker process, Docker engine, Caddy,
// PostgreSQL. The app is a Dockerfile-style image that bakes no port: it listens on $PORT, which
// Rise must set to the project's port; the health check and Caddy's slot must use that same port.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
let image = '';
let caddy: TestCaddy;
let worker: WorkerProcess;
let owner: TestUser;

const api = () => apiAs(userCaller(owner));

const withWorkerOutput = (description: string, timeoutMs = 90_000): WaitOptions => ({
  description,
  timeoutMs,
  context: () => worker?.output(),
});

async function deploy(project: string): Promise<DeploymentView> {
  const { id } = await api().deployment.create({ project, image: await imageForProject(image, project) });
  const view = await waitFor(
    async () => {
      const current = await api().deployment.get({ project, deployment: id });
      return ['healthy', 'failed', 'cancelled'].includes(current.status) ? current : null;
    },
    withWorkerOutput(`deployment ${id} to settle`),
  );
  if (view.status === 'healthy') {
    await waitFor(
      () =>
        getDb().deploymentEvent.findFirst({ where: { deploymentId: id, message: 'Deployment successful' } }),
      withWorkerOutput('the previous version to be removed'),
    );
  }
  return view;
}

const host = (project: string) => `${project}.localhost`;

/** The environment the app's container was started with, as KEY → value. */
async function containerEnv(project: string, deploymentId: string): Promise<Map<string, string>> {
  const [summary] = await docker.listContainers({
    filters: { label: [`dev.rise.project=${project}`, `dev.rise.deployment=${deploymentId}`] },
  });
  if (!summary) throw new Error(`no container for ${project}/${deploymentId}`);
  const info = await docker.getContainer(summary.Id).inspect();
  return new Map(
    (info.Config.Env ?? []).map((entry) => {
      const equals = entry.indexOf('=');
      return [entry.slice(0, equals), entry.slice(equals + 1)] as [string, string];
    }),
  );
}

beforeAll(async () => {
  image = await buildPortReadingAppImage('rise-test-port-app:v1', 'reads $PORT');
  caddy = await startCaddy();
  worker = await startWorkerProcess({
    // Public projects only: forward-auth (and so the web app) is never asked.
    RISE_URL: 'http://127.0.0.1:9',
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    ...(await isolatedEngineEnv(caddy, runId)),
    RISE_PROXY_HTTPS_PORT: String(caddy.httpsPort),
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_HEALTH_CHECK_ATTEMPTS: '25',
    RISE_SWITCH_SETTLE_MS: '1000',
    RISE_STOP_GRACE_MS: '1000',
    RISE_WORKER_SUPERVISE_SECONDS: '2',
  });
  owner = await createUser();
}, 300_000);

afterAll(async () => {
  if (process.env.RISE_TEST_DEBUG) console.log(worker?.output(), caddy?.output().slice(-5000));
  await worker?.stop();
  await caddy?.stop();
  await removeInstanceResources(docker, `test-${runId}`);
}, 120_000);

describe('the port contract: Rise tells every app its port as $PORT', () => {
  const project = `port-${runId}`;

  it('an app listening on $PORT deploys on project port 3001 and answers through Caddy', async () => {
    await api().project.create({ name: project, port: 3001, healthPath: '/health' });
    const deployment = await deploy(project);
    expect(deployment.error ?? null).toBeNull();
    expect(deployment).toMatchObject({ status: 'healthy', active: true });
    expect((await containerEnv(project, deployment.id)).get('PORT')).toBe('3001');
    const response = await waitFor(async () => {
      const r = await getThroughProxy(caddy.httpPort, host(project));
      return r.status === 200 ? r : null;
    }, withWorkerOutput('the app through Caddy'));
    expect(response.body.trim()).toBe('reads $PORT');
  }, 180_000);

  it('after the project port changes to 3002, a redeploy listens there and keeps serving', async () => {
    await api().project.update({ project, port: 3002 });
    const deployment = await deploy(project);
    expect(deployment.error ?? null).toBeNull();
    expect(deployment).toMatchObject({ status: 'healthy', active: true });
    expect((await containerEnv(project, deployment.id)).get('PORT')).toBe('3002');
    const logs = await docker
      .getContainer(`rise-${project}-${deployment.id}`)
      .logs({ stdout: true, stderr: true, follow: false });
    expect(logs.toString('utf8')).toContain('listening on port 3002');
    const response = await waitFor(async () => {
      const r = await getThroughProxy(caddy.httpPort, host(project));
      return r.status === 200 ? r : null;
    }, withWorkerOutput('the redeployed app through Caddy'));
    expect(response.body.trim()).toBe('reads $PORT');
  }, 180_000);
});
