import { fromPrisma, PgBoss } from 'pg-boss';
import type { z } from 'zod';
import { requireEnv } from '@/env';
import type { Tx } from '@/server/db';
import { ensureQueues, PGBOSS_SCHEMA } from './queues';
import { jobs } from './registry';
import type { JobDefinition } from './types';

const globalForBoss = globalThis as unknown as { riseBoss?: Promise<PgBoss> };

/** A send-only pg-boss for the web app: no polling, no maintenance (the worker does that). */
function sender(): Promise<PgBoss> {
  globalForBoss.riseBoss ??= (async () => {
    const boss = new PgBoss({
      connectionString: requireEnv('DATABASE_URL'),
      schema: PGBOSS_SCHEMA,
      supervise: false,
      schedule: false,
    });
    boss.on('error', (error) => console.error('pg-boss:', error.message));
    await boss.start();
    await ensureQueues(boss, jobs);
    return boss;
  })();
  return globalForBoss.riseBoss;
}

/**
 * Enqueues `job` inside `tx`, so the job exists if and only if the transaction commits; with
 * `startAfter`, it runs no earlier than that.
 */
export async function enqueue<Schema extends z.ZodType>(
  tx: Tx,
  job: JobDefinition<Schema>,
  payload: z.input<Schema>,
  options: { startAfter?: Date } = {},
): Promise<void> {
  const data = job.payload.parse(payload);
  const boss = await sender();
  await boss.send(job.name, data as object, {
    db: fromPrisma(tx),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(job.keyOf ? { singletonKey: job.keyOf(data) } : {}),
  });
}

/**
 * Makes `job` run on `cron` (UTC) with `payload`, under `key` (one schedule per key), or stops it when
 * `cron` is null. pg-boss stores schedules outside the caller's transaction, so call this after commit;
 * the backup-schedule-sync job repairs any schedule a crash left out of step.
 */
export async function setCronSchedule<Schema extends z.ZodType>(
  job: JobDefinition<Schema>,
  key: string,
  cron: string | null,
  payload: z.input<Schema>,
): Promise<void> {
  const boss = await sender();
  if (cron === null) await boss.unschedule(job.name, key);
  else await boss.schedule(job.name, cron, job.payload.parse(payload) as object, { tz: 'UTC', key });
}

/** Keys of `job`'s cron schedules. */
export async function cronScheduleKeys(job: JobDefinition): Promise<string[]> {
  const boss = await sender();
  return (await boss.getSchedules(job.name)).map((schedule) => schedule.key);
}

/**
 * Enqueues `job` outside any transaction, at most once per `seconds` window: a call while the window's
 * job exists puts one more in the next window (pg-boss's debounce), so a burst makes at most two.
 */
export async function enqueueDebounced<Schema extends z.ZodType>(
  job: JobDefinition<Schema>,
  payload: z.input<Schema>,
  seconds: number,
): Promise<void> {
  const boss = await sender();
  await boss.sendDebounced(job.name, job.payload.parse(payload) as object, null, seconds);
}
