/**
 * Job pickup without polling: the worker LISTENs, a send NOTIFYs at commit. Each worker here polls
 * only every 600 s, longer than any of these tests may take, so a job that runs at all was picked up
 * through the wake-up path, never through a poll.
 */
import { randomBytes } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getDb } from '@/server/db';
import { apiAs, createUser, type TestUser, uniqueName, userCaller } from '../../../test/fixtures';
import { waitFor } from '../../../test/wait';
import { startWorkerProcess, type WorkerProcess } from '../../../test/worker-process';
import { ensureQueues, PGBOSS_SCHEMA } from './queues';
import { defineJob, type JobHandler, type RunnableJob } from './types';
import { startWorker } from './worker-runtime';

const POLL_SECONDS = 600;
const runId = randomBytes(3).toString('hex');
const connectionString = () => process.env.DATABASE_URL as string;

describe('worker runtime (in process)', () => {
  type Started = Awaited<ReturnType<typeof startWorker>>;
  let worker: Started | undefined;
  let sender: PgBoss;
  const gates = new Map<number, () => void>();
  const started: number[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const probeJob = defineJob({
    name: `probe-${runId}`,
    payload: z.object({ n: z.number() }),
    expireInSeconds: 120,
    retryLimit: 0,
  });
  const probeHandler: JobHandler<typeof probeJob.payload> = async ({ n }) => {
    started.push(n);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise<void>((resolve) => gates.set(n, resolve));
    running -= 1;
    return { n };
  };

  beforeAll(async () => {
    worker = await startWorker({
      connectionString: connectionString(),
      jobs: [{ definition: probeJob, handler: async () => probeHandler } as RunnableJob],
      concurrency: 1,
      concurrencyOf: { [probeJob.name]: 2 },
      pollSeconds: POLL_SECONDS,
      superviseIntervalSeconds: 60,
      log: () => undefined,
    });
    // A sender like the web app's: it neither polls nor listens.
    sender = new PgBoss({
      connectionString: connectionString(),
      schema: PGBOSS_SCHEMA,
      supervise: false,
      schedule: false,
    });
    sender.on('error', () => undefined);
    await sender.start();
    await ensureQueues(sender, [probeJob]);
    // Let each worker loop finish the fetch it makes at start-up: from here on only a wake-up runs a job.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }, 60_000);

  afterAll(async () => {
    for (const release of gates.values()) release();
    await sender?.stop({ graceful: false, timeout: 5_000 });
    await worker?.stop();
  });

  it('runs jobs of one queue at most `concurrencyOf` at once, and takes the next one as soon as a slot frees', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await sender.send(probeJob.name, { n })) as string);
    const wait = (description: string, probe: () => boolean) =>
      waitFor(probe, { description, timeoutMs: 30_000, intervalMs: 50 });

    await wait('two jobs to start', () => started.length === 2);
    // Room for a third to start if the limit were not honoured.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(started).toHaveLength(2);
    for (let done = 0; done < 5; done++) {
      const next = started[done] as number;
      await wait(`job ${next} to be running`, () => gates.has(next));
      gates.get(next)?.();
      if (done + 2 < 5) await wait(`job ${done + 3} to start`, () => started.length === done + 3);
    }
    expect(mostAtOnce).toBe(2);
    await waitFor(
      async () =>
        (await Promise.all(ids.map((id) => sender.getJobById(probeJob.name, id)))).every(
          (job) => job?.state === 'completed',
        ),
      { description: 'every job to complete', timeoutMs: 30_000, intervalMs: 100 },
    );
    const jobs = await Promise.all(ids.map((id) => sender.getJobById(probeJob.name, id)));
    // The queue was woken, not polled: every job started long before a poll could have come.
    for (const job of jobs) {
      const waited =
        (job?.startedOn?.getTime() ?? Number.POSITIVE_INFINITY) - (job?.createdOn?.getTime() ?? 0);
      expect(waited).toBeLessThan(POLL_SECONDS * 1000);
    }
  }, 90_000);
});

describe('worker process: deploy queue', () => {
  let worker: WorkerProcess | undefined;
  let owner: TestUser;

  beforeAll(async () => {
    owner = await createUser();
    worker = await startWorkerProcess({ RISE_WORKER_POLL_SECONDS: String(POLL_SECONDS) }, [
      '--queues',
      'deploy',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await getDb().$disconnect();
  });

  it('starts a deployment queued through the API at once, not at the next poll', async () => {
    const api = apiAs(userCaller(owner));
    const project = uniqueName('pickup');
    await api.project.create({ name: project, port: 8080, healthPath: '/' });
    // An image id the engine does not have: the deployment fails right after the worker picks it up,
    // without creating anything.
    const created = await api.deployment.create({
      project,
      image: `sha256:${randomBytes(32).toString('hex')}`,
    });
    const events = await waitFor(
      async () => {
        const rows = await getDb().deploymentEvent.findMany({
          where: { deploymentId: created.id },
          orderBy: { createdAt: 'asc' },
        });
        return rows.some((row) => row.message.startsWith('Resolving')) ? rows : null;
      },
      {
        description: 'the worker to pick the deployment up',
        timeoutMs: 30_000,
        intervalMs: 100,
        context: () => worker?.output(),
      },
    );
    const queued = events.find((row) => row.message.startsWith('Queued'));
    const picked = events.find((row) => row.message.startsWith('Resolving'));
    expect(queued).toBeDefined();
    const pickupMs = (picked?.createdAt.getTime() ?? 0) - (queued?.createdAt.getTime() ?? 0);
    expect(pickupMs).toBeGreaterThanOrEqual(0);
    expect(pickupMs).toBeLessThan(POLL_SECONDS * 1000);
    await waitFor(
      async () => (await api.deployment.get({ project, deployment: created.id })).status === 'failed',
      {
        description: 'the deployment to fail (its image is absent)',
        timeoutMs: 30_000,
        intervalMs: 100,
        context: () => worker?.output(),
      },
    );
  }, 90_000);
});
