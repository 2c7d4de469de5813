import { z } from 'zod';
import { commandInput } from '../deployments/commands';

/** A cron job's name: a DNS label, unique in its project. */
export const cronJobName = z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/, {
  message: 'expected a name like "nightly-report" (a-z, 0-9, -)',
});

/** Five cron fields, UTC (minute hour day-of-month month day-of-week); the server checks the values. */
export const cronSchedule = z
  .string()
  .trim()
  .regex(/^\S+(\s+\S+){4}$/, { message: 'expected five cron fields, e.g. "0 * * * *" (every hour, UTC)' })
  .max(200);

/** One `[[cron]]` of `.rise.toml`, as the API takes it too. */
export const cronJobInput = z
  .object({ name: cronJobName, schedule: cronSchedule, command: commandInput })
  .strict();
export type CronJobInput = z.infer<typeof cronJobInput>;

export const MAX_CRON_JOBS = 20;

export const cronJobsInput = z
  .array(cronJobInput)
  .max(MAX_CRON_JOBS, { message: `at most ${MAX_CRON_JOBS} cron jobs per project` })
  .superRefine((jobs, context) => {
    const seen = new Set<string>();
    for (const [index, job] of jobs.entries()) {
      if (seen.has(job.name)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `two cron jobs are named "${job.name}"`,
        });
      }
      seen.add(job.name);
    }
  });

export const cronRunView = z.object({
  id: z.string(),
  /** running | succeeded | failed | timed-out | skipped */
  status: z.string(),
  exitCode: z.number().int().nullable(),
  reason: z.string().nullable(),
  deploymentId: z.string().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  /** The end of its output, `stdout: …` / `stderr: …` a line. */
  output: z.array(z.string()),
});
export type CronRunView = z.infer<typeof cronRunView>;

export const cronJobView = z.object({
  name: z.string(),
  schedule: z.string(),
  /** As written: the shell line, or the argument vector as JSON. */
  command: z.string(),
  nextRunAt: z.date(),
  lastRun: cronRunView.nullable(),
});
export type CronJobView = z.infer<typeof cronJobView>;
