import type { z } from 'zod';

/**
 * A background job as data: a queue name, a zod payload and the queue's options. Domains import
 * definitions to enqueue them; what runs a job lives with the worker (`handlers.ts`).
 */
export type JobDefinition<Schema extends z.ZodType = z.ZodType, Name extends string = string> = {
  name: Name;
  payload: Schema;
  /** pg-boss queue policy; `key_strict_fifo` runs one job at a time per `singletonKey`, in order. */
  policy?: 'standard' | 'singleton' | 'key_strict_fifo';
  /** The key that orders and serialises jobs (e.g. the project id). */
  keyOf?: (payload: z.output<Schema>) => string;
  /** Cron expression (UTC) when the job also runs on a schedule. */
  schedule?: string;
  /** Seconds a job may run before pg-boss considers it lost and retries it. */
  expireInSeconds: number;
  /** With a heartbeat, a dead worker's job is retried after this many seconds instead of at expiry. */
  heartbeatSeconds?: number;
  retryLimit: number;
  /** Also run once whenever a worker serving this queue starts. */
  runOnStart?: boolean;
  /**
   * The queue a job goes to once it failed for good (retries used up, or its worker died on the last
   * attempt: pg-boss fails it by heartbeat or expiry), so its handler can settle what it left behind.
   */
  deadLetter?: JobDefinition;
};

export const defineJob = <const Name extends string, Schema extends z.ZodType>(
  definition: JobDefinition<Schema, Name>,
) => definition;

/** Which attempt of a job a handler runs (pg-boss's `retryCount` starts at 0 and ends at `retryLimit`). */
export type JobAttempt = {
  id: string;
  retryCount: number;
  retryLimit: number;
  /** For a job of a dead-letter queue: the failed job's retries and its last failure output. */
  deadLettered: { retryCount: number; output: unknown } | null;
};

/** Runs one job; `signal` aborts when pg-boss gives the job up (expiry, shutdown). */
export type JobHandler<Schema extends z.ZodType = z.ZodType> = (
  payload: z.output<Schema>,
  signal: AbortSignal,
  attempt: JobAttempt,
) => Promise<unknown>;

/** A handler loaded on first use, so a worker serving some queues never loads the others' code. */
export type LazyJobHandler<Schema extends z.ZodType = z.ZodType> = () => Promise<JobHandler<Schema>>;

/** A definition with its handler: what the worker runs. */
export type RunnableJob<Schema extends z.ZodType = z.ZodType> = {
  definition: JobDefinition<Schema>;
  handler: LazyJobHandler<Schema>;
};
