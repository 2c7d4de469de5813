import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireEnv } from '@/env';
import { getDb } from '@/server/db';
import { deploymentRepo } from '@/server/domains/deployments/deployment.repo';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { queueGitDeployment } from '@/server/domains/git-builds/queue-git-deployment';
import { gitBuildJob } from '@/server/jobs/definitions/git-build.job';
import { PGBOSS_SCHEMA } from '@/server/jobs/queues';
import { httpApi } from './api-client';
import { buildBusyboxBaseImage } from './busybox-base-image';
import {
  appDockerfile,
  buildLines,
  connectGitSource,
  createRepository,
  type GitDaemon,
  startGitDaemon,
} from './git-repository';
import { getThroughProxy } from './http-through-proxy';
import { TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';
import type { WorkerProcess } from './worker-process';

// A server build whose worker process is SIGKILLed mid-build is built again by the next worker, or
// ends `failed` with a reason when its job has no retry left; a build past RISE_BUILD_TIMEOUT is
// stopped; a build whose every attempt throws ends `failed`. Never a deployment stuck in `building`,
// a build container or work directory left behind, or a second deployment.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-git-crash-'));
const gitRoot = mkdtempSync(join(tmpdir(), 'rise-git-crash-repos-'));
const project = `gitc-${runId}`;
const docker = new Dockerode();
/** Text each slow branch's RUN step prints first, unique to this run (found in build containers' commands). */
const marker = (branch: string) => `${branch}-marker-${runId}`;
let stack: RiseStack;
let worker: WorkerProcess;
let daemon: GitDaemon;
let heads: Record<string, string> = {};

const projectRow = () => getDb().project.findUniqueOrThrow({ where: { name: project } });

async function settled(id: string) {
  return waitFor(
    async () => {
      const row = await getDb().deployment.findUniqueOrThrow({ where: { id } });
      return ['healthy', 'failed', 'cancelled'].includes(row.status) ? row : null;
    },
    {
      description: `${id} to settle`,
      timeoutMs: 240_000,
      intervalMs: 250,
      context: () => worker.output().slice(-3000),
    },
  );
}

const waitForBuildLine = (id: string, text: string) =>
  waitFor(async () => (await buildLines(id)).some((line) => line.includes(text)), {
    description: `the build of ${id} to print ${text}`,
    timeoutMs: 120_000,
    intervalMs: 250,
    context: () => worker.output().slice(-3000),
  });

/** Containers (running or not) of a build step whose command carries `text`. */
const buildContainers = async (text: string) =>
  (await docker.listContainers({ all: true })).filter((container) => container.Command.includes(text));

const noBuildContainersLeft = (text: string) =>
  waitFor(async () => (await buildContainers(text)).length === 0, {
    description: `the build containers running ${text} to be gone`,
    timeoutMs: 60_000,
    intervalMs: 500,
  });

const workDirs = (id: string) => readdirSync(tmpdir()).filter((name) => name.startsWith(`rise-build-${id}`));

async function killHard(process: WorkerProcess) {
  const exited = new Promise((resolve) => process.child.once('exit', resolve));
  process.child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  await buildBusyboxBaseImage(docker);
  heads = createRepository(gitRoot, 'app', [
    {
      name: 'main',
      files: {
        Dockerfile: appDockerfile([`RUN echo ${marker('main')} && sleep 15`]),
        'www/index.html': 'built again after the crash\n',
        'www/health': 'ok\n',
      },
      message: 'A build the worker dies in',
    },
    {
      name: 'slow',
      files: {
        Dockerfile: appDockerfile([`RUN echo ${marker('slow')} && sleep 300`]),
        'www/index.html': 'x\n',
      },
      message: 'A build longer than the timeout',
    },
    {
      name: 'doomed',
      files: {
        Dockerfile: appDockerfile([`RUN echo ${marker('doomed')} && sleep 300`]),
        'www/index.html': 'x\n',
      },
      message: 'A build whose job has no retry left',
    },
  ]);
  daemon = await startGitDaemon(gitRoot, 'app');
  stack = await startRiseStack({
    runId,
    dataDir,
    // A quick supervisor: a dead worker's missed heartbeat is noticed within seconds.
    env: { RISE_OUTBOUND_ALLOW: `127.0.0.1:${daemon.port}`, RISE_WORKER_SUPERVISE_SECONDS: '2' },
  });
  worker = stack.worker;
  const token = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'git build crash test',
  });
  await httpApi(stack.web.url, { token }).project.update.mutate({
    project,
    port: TEST_APP_PORT,
    healthPath: '/health',
  });
  await connectGitSource((await projectRow()).id, daemon.url('app'), { hookId: `hook-${runId}` });
}, 300_000);

afterAll(async () => {
  await daemon?.stop();
  await stack?.stop({ images: [project] });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(gitRoot, { recursive: true, force: true });
}, 120_000);

describe('server builds survive their worker', () => {
  it('kill -9 of the worker mid-build: the next worker builds it again and deploys it; nothing is left behind', async () => {
    const id = await queueGitDeployment(null, await projectRow(), { ref: 'main' }, { trigger: 'git_push' });
    await waitForBuildLine(id, marker('main'));
    expect(await buildContainers(marker('main'))).toHaveLength(1);
    expect(workDirs(id)).toHaveLength(1);

    await killHard(worker);
    expect((await getDb().deployment.findUniqueOrThrow({ where: { id } })).status).toBe('building');
    worker = await stack.startWorker();

    const done = await settled(id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('healthy');
    expect(done.commitSha).toBe(heads.main);
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: id } });
    expect(events.map((event) => event.message)).toContain(
      'The build was interrupted while building: building again',
    );
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.body).toBe('built again after the crash\n');
    await noBuildContainersLeft(marker('main'));
    expect(await buildContainers(marker('main'))).toHaveLength(0);
    expect(workDirs(id)).toEqual([]);
    expect(await getDb().deployment.count({ where: { project: { name: project } } })).toBe(1);
  }, 400_000);

  it('a build longer than RISE_BUILD_TIMEOUT is stopped and fails naming the step, with the log tail', async () => {
    await worker.stop();
    worker = await stack.startWorker({ RISE_BUILD_TIMEOUT: '10s' });
    const started = Date.now();
    const id = await queueGitDeployment(null, await projectRow(), { ref: 'slow' }, { trigger: 'git_push' });
    const done = await settled(id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain("Build timed out after 10s at step 'build'");
    expect(done.error).toContain('Last lines:');
    expect(done.error).toContain(marker('slow'));
    expect(Date.now() - started).toBeLessThan(60_000);
    await noBuildContainersLeft(marker('slow'));
    expect(await buildContainers(marker('slow'))).toHaveLength(0);
    expect(workDirs(id)).toEqual([]);
    // The project keeps serving its last good build.
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.body).toBe('built again after the crash\n');
  }, 300_000);

  it('kill -9 on the last attempt: the dead-lettered job fails the deployment with the reason', async () => {
    await worker.stop();
    worker = await stack.startWorker();
    const { id: projectId } = await projectRow();
    const id = newDeploymentId();
    await deploymentRepo.create({ id, projectId, status: 'pending', trigger: 'git_push', gitRef: 'doomed' });
    // A job with no retry at all: the attempt the worker dies in is its last.
    const boss = new PgBoss({
      connectionString: requireEnv('DATABASE_URL'),
      schema: PGBOSS_SCHEMA,
      supervise: false,
      schedule: false,
    });
    await boss.start();
    try {
      await boss.send(gitBuildJob.name, { deploymentId: id, projectId }, { retryLimit: 0 });
    } finally {
      await boss.stop({ graceful: false });
    }
    await waitForBuildLine(id, marker('doomed'));
    await killHard(worker);
    worker = await stack.startWorker();

    const done = await settled(id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe(
      'Build failed: its job was given up after 1 attempt (last: job heartbeat timeout; a worker that dies or hangs mid-build ends its attempt this way).',
    );
    await noBuildContainersLeft(marker('doomed'));
    expect(await buildContainers(marker('doomed'))).toHaveLength(0);
    expect(workDirs(id)).toEqual([]);
  }, 300_000);

  it('a build whose every attempt throws ends failed once its retries are used up', async () => {
    await worker.stop();
    // A temporary directory under a regular file, which nothing can create: each attempt throws before
    // it builds anything (tsx, which runs the worker, must then not cache compiled files there).
    const blocker = join(dataDir, 'a-file');
    writeFileSync(blocker, '');
    worker = await stack.startWorker({ TMPDIR: join(blocker, 'tmp'), TSX_DISABLE_CACHE: '1' });
    const id = await queueGitDeployment(null, await projectRow(), { ref: 'main' }, { trigger: 'git_push' });
    const done = await settled(id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain(`Build failed after ${gitBuildJob.retryLimit + 1} attempts: ENOTDIR`);
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: id } });
    expect(
      events.filter((event) => event.message === 'The build was interrupted while building: building again'),
    ).toHaveLength(gitBuildJob.retryLimit);
  }, 300_000);
});
