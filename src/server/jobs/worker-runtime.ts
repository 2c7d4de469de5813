import { PgBoss } from 'pg-boss';
import { runInJobScope } from './job-scope';
import { ensureQueues, PGBOSS_SCHEMA } from './queues';
import { createResultLogFilter } from './result-log-filter';
import type { JobDefinition } from './types';

export type WorkerOptions = {
  connectionString: string;
  jobs: JobDefinition[];
  concurrency: number;
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
  });
  boss.on('error', (error) => options.log(`pg-boss error: ${error.message}`));
  await boss.start();
  await ensureQueues(boss, options.jobs);
  const shouldLogResult = createResultLogFilter(
    options.jobs.filter((job) => job.schedule).map((job) => job.name),
  );
  for (const job of options.jobs) {
    const handle = await job.handler();
    await boss.work(job.name, { localConcurrency: options.concurrency }, async (batch) => {
      for (const item of batch) {
        const payload = job.payload.parse(item.data ?? {});
        // An error the handler's adapters let escape fails this job, not the worker (see job-scope.ts).
        const result = await runInJobScope(job.name, item.id, () => handle(payload, item.signal));
        const summary = JSON.stringify(result ?? null);
        if (shouldLogResult(job.name, summary)) options.log(`${job.name} ${item.id} done ${summary}`);
      }
    });
    if (job.schedule) await boss.schedule(job.name, job.schedule, {}, { tz: 'UTC' });
    if (job.runOnStart) await boss.send(job.name, {});
  }
  options.log(`worker ready: queues ${options.jobs.map((job) => job.name).join(', ')}`);
  return {
    boss,
    stop: () => boss.stop({ graceful: true, timeout: 30_000 }),
  };
}
