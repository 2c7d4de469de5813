import type { z } from 'zod';

/** A background job as data: a queue name, a zod payload and a lazily loaded handler. */
export type JobDefinition<Schema extends z.ZodType = z.ZodType> = {
  name: string;
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
  handler: () => Promise<(payload: z.output<Schema>, signal: AbortSignal) => Promise<unknown>>;
};

export const defineJob = <Schema extends z.ZodType>(definition: JobDefinition<Schema>) => definition;
