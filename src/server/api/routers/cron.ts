import { z } from 'zod';
import { listCronJobs, listCronRuns, setCronJobs, triggerCronJob } from '@/server/domains/cron/cron.service';
import { cronJobName, cronJobsInput, cronJobView, cronRunView } from '@/shared/cron/cron-job.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const cronRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(cronJobView))
    .query(({ ctx }) => listCronJobs(ctx.project)),
  /** Replaces the project's cron jobs (`rise d c` sends `.rise.toml`'s `[[cron]]`). */
  set: projectProcedure('project:deploy')
    .input(z.object({ jobs: cronJobsInput }))
    .output(z.array(cronJobView))
    .mutation(({ ctx, input }) => setCronJobs(ctx.caller, ctx.project, input.jobs)),
  runs: projectProcedure('project:read')
    .input(z.object({ name: cronJobName, limit: z.number().int().min(1).max(50).default(20) }))
    .output(z.array(cronRunView))
    .query(({ ctx, input }) => listCronRuns(ctx.project, input.name, input.limit)),
  run: projectProcedure('project:deploy')
    .input(z.object({ name: cronJobName }))
    .output(z.object({ queued: z.literal(true), name: z.string() }))
    .mutation(({ ctx, input }) => triggerCronJob(ctx.caller, ctx.project, input.name)),
});
