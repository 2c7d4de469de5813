import { PgBoss } from 'pg-boss';
import { recordJobAttempt } from '@/server/metrics/record-metrics';
import { runInJobScope } from './job-scope';
import { ensureQueues, PGBOSS_SCHEMA } from './queues';
import { createResultLogFilter } from './result-log-filter';
import type { RunnableJob } from './types';

export type WorkerOptions = {
  connectionString: string;
  /** The jobs this process runs, with their handlers (`runnableJobs` in handlers.ts). */
  jobs: RunnableJob[];
  /** Jobs of one queue this process runs at once, unless `concurrencyOf` names the queue. */
  concurrency: number;
  /** Per-queue exceptions to `concurrency` (e.g. `{ deploy: 4 }`: four projects deploy at once). */
  concurrencyOf?: Readonly<Record<string, number>>;
  /**
   * How often an idle queue looks for jobs nobody announced (retries whose delay ran out, a
   * notification missed while the listener reconnected). New jobs wake the worker at once.
   */
  pollSeconds: number;
  /** How often pg-boss looks for expired jobs and missed heartbeats. */
  superviseIntervalSeconds: number;
  log: (line: string) => void;
};

/** Starts pg-boss, creates each queue, registers its handler and schedule; returns a graceful stop. */
export async function startWorker(options: WorkerOptions) {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: PGBOSS_SCHEMA,
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    // A LISTEN connection: a job sent to a queue wakes its idle workers when the sender commits.
    useListenNotify: true,
  });
  boss.on('error', (error) => options.log(`pg-boss error: ${error.message}`));
  // Without the listener jobs still run, but only at the next poll: say so once.
  boss.on('warning', (warning) => {
    const type = (warning.data as { type?: string } | undefined)?.type;
    if (type === 'listen_notify_unavailable') options.log(`pg-boss: ${warning.message}`);
  });
  await boss.start();
  const definitions = options.jobs.map((job) => job.definition);
  await ensureQueues(boss, definitions);
  const shouldLogResult = createResultLogFilter(
    definitions.filter((job) => job.schedule).map((job) => job.name),
  );
  for (const { definition: job, handler } of options.jobs) {
    const handle = await handler();
    const workOptions = {
      localConcurrency: options.concurrencyOf?.[job.name] ?? options.concurrency,
      pollingIntervalSeconds: options.pollSeconds,
      notifyPollingIntervalSeconds: options.pollSeconds,
      // retryLimit and the dead-letter fields, for handlers that settle a job's last attempt.
      includeMetadata: true as const,
    };
    await boss.work(job.name, workOptions, async (batch) => {
      try {
        for (const item of batch) {
          const payload = job.payload.parse(item.data ?? {});
          // An error the handler's adapters let escape fails this job, not the worker (see job-scope.ts).
          const attempt = {
            id: item.id,
            retryCount: item.retryCount,
            retryLimit: item.retryLimit,
            deadLettered:
              item.sourceId === null
                ? null
                : { retryCount: item.sourceRetryCount ?? 0, output: item.sourceOutput ?? null },
          };
          const started = performance.now();
          const timing = { createdOn: item.createdOn, startedOn: item.startedOn };
          const result = await runInJobScope(job.name, item.id, () =>
            handle(payload, item.signal, attempt),
          ).then(
            (value) => {
              recordJobAttempt(job.name, { ...timing, ranMs: performance.now() - started, failed: false });
              return value;
            },
            (error: unknown) => {
              recordJobAttempt(job.name, { ...timing, ranMs: performance.now() - started, failed: true });
              throw error;
            },
          );
          const summary = JSON.stringify(result ?? null);
          if (shouldLogResult(job.name, summary)) options.log(`${job.name} ${item.id} done ${summary}`);
        }
      } finally {
        // A slot just freed: without this, the loop that ran the job would sleep a whole poll
        // interval before taking the next queued job (only a new send wakes it otherwise).
        wakeQueue(boss, job.name);
      }
    });
    if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: 'UTC' });
    if (job.runOnStart) await boss.send(job.name, {});
  }
  options.log(`worker ready: queues ${definitions.map((job) => job.name).join(', ')}`);
  return {
    boss,
    stop: () => boss.stop({ graceful: true, timeout: 30_000 }),
  };
}

/** Makes every worker loop of `queue` in this process fetch again as soon as it is free. */
function wakeQueue(boss: PgBoss, queue: string) {
  for (const worker of boss.getWipData()) if (worker.name === queue) boss.notifyWorker(worker.id);
}
