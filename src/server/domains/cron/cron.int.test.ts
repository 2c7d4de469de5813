import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { projectCronJob } from '@/server/jobs/definitions/project-cron.job';
import { cronScheduleKeys } from '@/server/jobs/enqueue';
import type { RunnableJob } from '@/server/jobs/types';
import { startWorker } from '@/server/jobs/worker-runtime';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { waitFor } from '../../../../test/wait';
import { deploymentRepo } from '../deployments/deployment.repo';
import { newDeploymentId } from '../deployments/deployment-id';
import type { EngineDeps } from '../deployments/engine-deps';
import { runDeployment } from '../deployments/run-deployment';
import { runCronJob } from './cron.service';

// Cron jobs for real: `cron.set` stores and schedules them in pg-boss (keyed by the job's id), a real
// pg-boss worker fires the schedule at the next minute, and each run is a one-off container of the
// active deployment's image with the app's env on real Docker, its output and exit code kept.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const name = `cron-${runId}`;
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;

const api = () => apiAs(userCaller(owner));
const REPORT = 'echo report $MARKER; echo oops >&2; exit 2';
const cronJobId = async (job: string) =>
  (await getDb().cronJob.findFirstOrThrow({ where: { name: job, project: { name } }, select: { id: true } }))
    .id;

beforeAll(async () => {
  const image = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  caddy = await startCaddy();
  const { first } = await claimPortBlock();
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, `rise-test-${runId}`),
    caddy,
    portRange: [first, first + 99],
    settings: { releaseTimeoutMs: 30_000 },
  });
  owner = await createUser();
  await api().project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
  await api().env.set({ project: name, vars: [{ key: 'MARKER', value: `marker-${runId}`, secret: true }] });
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(image, name, docker),
  });
  await runDeployment(deps, deployment.id);
  expect((await deploymentRepo.findById(deployment.id))?.status).toBe('healthy');
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await api()
    .cron.set({ project: name, jobs: [] })
    .catch(() => undefined);
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

describe('cron jobs', () => {
  it('stores and schedules the jobs as given, and refuses a schedule that cannot fire', async () => {
    const jobs = await api().cron.set({
      project: name,
      jobs: [
        // The test image has busybox alone (no /bin/sh): its shell by argument vector.
        { name: 'report', schedule: '* * * * *', command: ['/bin/busybox', 'sh', '-c', REPORT] },
        { name: 'nightly', schedule: '0 3 * * *', command: 'node scripts/nightly.js' },
      ],
    });
    expect(jobs.map((job) => [job.name, job.schedule, job.command])).toEqual([
      ['nightly', '0 3 * * *', 'node scripts/nightly.js'],
      ['report', '* * * * *', JSON.stringify(['/bin/busybox', 'sh', '-c', REPORT])],
    ]);
    const keys = await cronScheduleKeys(projectCronJob);
    expect(keys).toEqual(expect.arrayContaining([await cronJobId('report'), await cronJobId('nightly')]));
    await expect(
      api().cron.set({ project: name, jobs: [{ name: 'bad', schedule: '61 * * * *', command: 'true' }] }),
    ).rejects.toThrow(/cron job "bad": schedule "61 \* \* \* \*" is not valid/);
    // The refused set changed nothing.
    expect((await api().cron.list({ project: name })).map((job) => job.name)).toEqual(['nightly', 'report']);
  });

  it('runs a job in a one-off container of the running image with the app’s env, keeping output and exit code', async () => {
    expect(await runCronJob(deps, await cronJobId('report'))).toEqual({ status: 'failed' });
    const [run] = await api().cron.runs({ project: name, name: 'report', limit: 1 });
    expect(run).toMatchObject({ status: 'failed', exitCode: 2, reason: null });
    expect(run!.output).toEqual(expect.arrayContaining([`stdout: report marker-${runId}`, 'stderr: oops']));
    expect(run!.finishedAt).not.toBeNull();
    // The one-off container is gone.
    const left = await docker.listContainers({ all: true, filters: { label: [`rise.test=${runId}`] } });
    expect(left.filter((container) => container.Names.some((n) => n.includes('-cron-report-')))).toEqual([]);
  }, 60_000);

  it('fires on its schedule: a real pg-boss worker runs the job at the next minute', async () => {
    const before = (await api().cron.runs({ project: name, name: 'report', limit: 50 })).length;
    worker = await startWorker({
      connectionString: process.env.DATABASE_URL as string,
      jobs: [
        {
          definition: projectCronJob,
          handler: async () => (payload: { cronJobId: string }) => runCronJob(deps, payload.cronJobId),
        } as RunnableJob,
      ],
      concurrency: 1,
      pollSeconds: 1,
      superviseIntervalSeconds: 60,
      log: () => undefined,
    });
    const runs = await waitFor(
      async () => {
        const all = await api().cron.runs({ project: name, name: 'report', limit: 50 });
        return all.length > before && all[0]!.finishedAt ? all : null;
      },
      { description: 'the schedule to fire', timeoutMs: 150_000, intervalMs: 1000 },
    );
    expect(runs[0]).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(runs[0]!.output).toContain(`stdout: report marker-${runId}`);
  }, 180_000);

  it('records a run of a stopped project as skipped, and forgets jobs no longer listed', async () => {
    await getDb().project.update({ where: { name }, data: { desiredState: 'stopped' } });
    expect(await runCronJob(deps, await cronJobId('nightly'))).toEqual({ status: 'skipped' });
    const [skipped] = await api().cron.runs({ project: name, name: 'nightly', limit: 1 });
    expect(skipped).toMatchObject({ status: 'skipped', reason: `'${name}' has no running deployment` });
    const id = await cronJobId('report');
    await api().cron.set({ project: name, jobs: [] });
    expect(await cronScheduleKeys(projectCronJob)).not.toContain(id);
    expect(await getDb().cronRun.count({ where: { cronJobId: id } })).toBe(0);
  });
});
