import type { z } from 'zod';

/** A background job as data: a queue name, a zod payload and a lazily loaded handler. */
export type JobDefinition<Schema extends z.ZodType = z.ZodType> = {
  name: string;
  payload: Schema;
  /** Cron expression (UTC) when the job also runs on a schedule. */
  schedule?: string;
  /** Seconds a job may run before pg-boss considers its worker dead and retries it. */
  expireInSeconds: number;
  retryLimit: number;
  handler: () => Promise<(payload: z.output<Schema>) => Promise<unknown>>;
};

export const defineJob = <Schema extends z.ZodType>(definition: JobDefinition<Schema>) => definition;
