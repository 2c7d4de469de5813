import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { httpApi } from './api-client';
import { getThroughProxy } from './http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from './images';
import { type NextServer, startNextServer } from './next-server';
import { sampleValue, scrapeMetrics } from './prometheus-scrape';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';

// Prometheus metrics for real: the built web server (its /api/metrics route and its own listener) and
// the worker's listener, scraped and parsed as Prometheus text, before and after a deploy (Docker,
// Caddy, registry) whose counters must move.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-metrics-'));
const project = `metrics-${runId}`;
const METRICS_TOKEN = `metrics-token-${runId}`.padEnd(48, '0');
let stack: RiseStack;
let apiToken: string;
let image: string;
let webListener: string;
let workerListener: string;

const api = () => httpApi(stack.web.url, { token: apiToken });
const scrapeWeb = () => scrapeMetrics(`${stack.web.url}/api/metrics`, METRICS_TOKEN);
const scrapeWorker = () => scrapeMetrics(workerListener, METRICS_TOKEN);

beforeAll(async () => {
  image = await imageForProject(
    await buildTestAppImage({ tag: 'rise-test-metrics-app:v1', version: 'metrics v1' }),
    project,
  );
  const [webPort, workerPort] = [await freePort(), await freePort()];
  webListener = `http://127.0.0.1:${webPort}/metrics`;
  workerListener = `http://127.0.0.1:${workerPort}/metrics`;
  stack = await startRiseStack({
    runId,
    dataDir,
    env: { RISE_METRICS_TOKEN: METRICS_TOKEN, RISE_WORKER_METRICS_ADDRESS: `127.0.0.1:${workerPort}` },
    webEnv: { RISE_METRICS_ADDRESS: `127.0.0.1:${webPort}` },
  });
  apiToken = await signUpWithToken(stack.web.url, {
    email: `ops-${runId}@example.test`,
    projects: [project],
    tokenName: 'metrics test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('/metrics of the web server and the worker', () => {
  it('answers the web route only with the token: 401 without it or with another, then Prometheus text', async () => {
    const anonymous = await scrapeMetrics(`${stack.web.url}/api/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="rise-metrics"');
    expect((await scrapeMetrics(`${stack.web.url}/api/metrics`, 'x'.repeat(48))).status).toBe(401);

    const scraped = await scrapeWeb();
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const names = scraped.families.map((family) => family.name);
    expect(names).toEqual(expect.arrayContaining(['rise_process_cpu_seconds_total', 'rise_jobs']));
    expect(names.filter((name) => !name.startsWith('rise_'))).toEqual([]);
    // Jobs by queue and state, read from pg-boss's queue table at scrape time.
    const jobs = scraped.families.find((family) => family.name === 'rise_jobs')!;
    expect(jobs.type).toBe('GAUGE');
    const deployStates = jobs.metrics
      .filter((metric) => metric.labels?.queue === 'deploy')
      .map((metric) => metric.labels?.state)
      .sort();
    expect(deployStates).toEqual(['active', 'deferred', 'failed', 'ready']);
  });

  it("serves each process's own listener with the token only", async () => {
    for (const listener of [webListener, workerListener]) {
      expect((await scrapeMetrics(listener)).status, listener).toBe(401);
      const scraped = await scrapeMetrics(listener, METRICS_TOKEN);
      expect(scraped.status, listener).toBe(200);
      expect(scraped.families.map((family) => family.name)).toContain('rise_process_resident_memory_bytes');
    }
    // The worker's series: its jobs, not the installation-wide queue gauge the web server exports.
    const worker = await scrapeWorker();
    expect(worker.families.map((family) => family.name)).not.toContain('rise_jobs');
  });

  it('keeps /api/metrics off (404) on a web server without a token', async () => {
    let plain: NextServer | undefined;
    try {
      plain = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
      expect((await scrapeMetrics(`${plain.url}/api/metrics`)).status).toBe(404);
      expect((await scrapeMetrics(`${plain.url}/api/metrics`, METRICS_TOKEN)).status).toBe(404);
    } finally {
      await plain?.stop();
    }
  }, 120_000);

  it('moves the counters after a deploy: deployments, deploy jobs, phases and API calls', async () => {
    const [web0, worker0] = [await scrapeWeb(), await scrapeWorker()];
    const creates = { procedure: 'deployment.create', type: 'mutation', code: 'OK' };
    const deployJobs = { queue: 'deploy', result: 'completed' };

    const created = await api().deployment.create.mutate({ project, image });
    await waitFor(
      async () => (await api().project.get.query({ project })).activeDeploymentId === created.id,
      {
        description: `${created.id} to be active`,
        timeoutMs: 120_000,
        intervalMs: 250,
        context: () => stack.worker.output().slice(-2000),
      },
    );
    const served = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(served.body.trim()).toBe('metrics v1');

    // The deploy job counts once its handler returned, a moment after the deployment went healthy.
    const jobsDone = (scrape: Awaited<ReturnType<typeof scrapeWorker>>) =>
      sampleValue(scrape, 'rise_job_duration_seconds_count', deployJobs);
    const worker1 = await waitFor(
      async () => {
        const scrape = await scrapeWorker();
        return jobsDone(scrape) > jobsDone(worker0) ? scrape : null;
      },
      {
        description: 'the deploy job to be counted',
        timeoutMs: 30_000,
        intervalMs: 250,
        context: () => stack.worker.output().slice(-2000),
      },
    );
    expect(jobsDone(worker1)).toBe(jobsDone(worker0) + 1);
    expect(sampleValue(worker1, 'rise_job_latency_seconds_count', { queue: 'deploy' })).toBe(
      sampleValue(worker0, 'rise_job_latency_seconds_count', { queue: 'deploy' }) + 1,
    );
    expect(sampleValue(worker1, 'rise_deployments_total', { result: 'succeeded' })).toBe(
      sampleValue(worker0, 'rise_deployments_total', { result: 'succeeded' }) + 1,
    );
    expect(sampleValue(worker1, 'rise_deployments_total', { result: 'failed' })).toBe(
      sampleValue(worker0, 'rise_deployments_total', { result: 'failed' }),
    );
    for (const phase of ['start', 'health', 'switch'])
      expect(sampleValue(worker1, 'rise_deploy_phase_duration_seconds_count', { phase }), phase).toBe(
        sampleValue(worker0, 'rise_deploy_phase_duration_seconds_count', { phase }) + 1,
      );
    const deployments = worker1.families.find((family) => family.name === 'rise_deployments_total');
    expect(deployments?.type).toBe('COUNTER');

    const web1 = await scrapeWeb();
    expect(sampleValue(web1, 'rise_api_request_duration_seconds_count', creates)).toBe(
      sampleValue(web0, 'rise_api_request_duration_seconds_count', creates) + 1,
    );
    expect(web1.families.find((family) => family.name === 'rise_api_request_duration_seconds')?.type).toBe(
      'HISTOGRAM',
    );
    // Labels name procedures and queues, never the project or the deployment.
    for (const exported of [web1.text, worker1.text]) {
      expect(exported).not.toContain(project);
      expect(exported).not.toContain(created.id);
    }
  }, 180_000);
});
