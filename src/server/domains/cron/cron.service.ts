import { randomBytes } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { Caller } from '@/server/domains/access/caller';
import { projectAuditTarget, recordAudit } from '@/server/domains/audit/audit.service';
import type { ProjectRecord } from '@/server/domains/projects/project.repo';
import { badRequest, notFound } from '@/server/errors';
import { projectCronJob } from '@/server/jobs/definitions/project-cron.job';
import { cronScheduleKeys, enqueue, setCronSchedule } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import type { CronJobInput } from '@/shared/cron/cron-job.schema';
import { commandArgv, describeCommand } from '@/shared/deployments/commands';
import type { EngineDeps } from '../deployments/engine-deps';
import { oneOffOf } from '../deployments/one-off-spec';
import { instanceSpecFor } from '../deployments/run-deployment';
import { LIVE } from '../deployments/state-machine';
import { cronRepo } from './cron.repo';

/** Lines of a run's output kept with it (the end of it). */
export const CRON_OUTPUT_LINES = 500;

/** Makes a cron job run on its schedule (UTC) under its id, or no longer (`schedule` null). */
const schedule = (cronJobId: string, cron: string | null) =>
  setCronSchedule(projectCronJob, cronJobId, cron, { cronJobId });

function checkSchedule(job: CronJobInput) {
  try {
    CronExpressionParser.parse(job.schedule, { tz: 'UTC' });
  } catch (error) {
    throw badRequest(
      `cron job "${job.name}": schedule "${job.schedule}" is not valid: ${(error as Error).message}`,
    );
  }
}

/**
 * Makes `project`'s cron jobs exactly `jobs` (`.rise.toml`'s `[[cron]]`, sent by `rise d c`): new and
 * changed ones are scheduled, missing ones removed with their history. Audited.
 */
export async function setCronJobs(caller: Caller, project: ProjectRecord, jobs: CronJobInput[]) {
  for (const job of jobs) checkSchedule(job);
  const rows = jobs.map((job) => ({
    name: job.name,
    schedule: job.schedule.trim(),
    command: commandArgv(job.command),
  }));
  const { kept, removed } = await inTransaction(async (tx) => {
    const result = await cronRepo.replaceJobs(project.id, rows, tx);
    await recordAudit(
      caller,
      {
        action: 'project.cron.set',
        ...projectAuditTarget(project),
        details: {
          jobs: rows.map((row) => ({ name: row.name, schedule: row.schedule })),
          removed: result.removed.length,
        },
      },
      tx,
    );
    return result;
  });
  // pg-boss keeps schedules outside the transaction: after commit (the schedule sync repairs a crash here).
  for (const job of kept) await schedule(job.id, job.schedule);
  for (const id of removed) await schedule(id, null);
  return listCronJobs(project);
}

export async function listCronJobs(project: { id: string }) {
  const jobs = await cronRepo.listJobs(project.id);
  return jobs.map((job) => ({
    name: job.name,
    schedule: job.schedule,
    command: describeCommand(job.command) ?? '',
    nextRunAt: CronExpressionParser.parse(job.schedule, { tz: 'UTC' }).next().toDate(),
    lastRun: job.runs[0] ? runView(job.runs[0]) : null,
  }));
}

type RunRow = Awaited<ReturnType<typeof cronRepo.runs>>[number];

function runView(run: RunRow) {
  return {
    id: run.id,
    status: run.status,
    exitCode: run.exitCode,
    reason: run.reason,
    deploymentId: run.deploymentId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    output: run.output,
  };
}

export async function listCronRuns(project: { id: string; name: string }, name: string, limit: number) {
  const job = await cronRepo.findJobByName(project.id, name);
  if (!job) throw notFound(`'${project.name}' has no cron job "${name}".`);
  return (await cronRepo.runs(job.id, limit)).map(runView);
}

export async function findCronJob(project: { id: string; name: string }, name: string) {
  const job = await cronRepo.findJobByName(project.id, name);
  if (!job) throw notFound(`'${project.name}' has no cron job "${name}".`);
  return job;
}

/**
 * One run of a cron job, as its schedule fires: its command in a one-off container of the project's
 * active deployment (image, env, network, limits), limited to the release timeout. A project that is
 * stopped or has no running deployment is recorded as skipped.
 */
export async function runCronJob(deps: EngineDeps, cronJobId: string) {
  const job = await cronRepo.findJob(cronJobId);
  if (!job) return { status: 'gone' as const };
  const unit = await deps.repos.projects.findForDeploy(job.projectId);
  const active = unit?.activeDeployment;
  if (
    unit?.desiredState !== 'running' ||
    !active ||
    !LIVE.includes(active.status) ||
    !active.image ||
    !active.imageDigest
  ) {
    const reason = `'${job.project.name}' has no running deployment`;
    await cronRepo.startRun({ cronJobId, deploymentId: null, status: 'skipped', reason });
    return { status: 'skipped' as const };
  }
  const run = await cronRepo.startRun({ cronJobId, deploymentId: active.id, status: 'running' });
  const output: string[] = [];
  try {
    const spec = await instanceSpecFor(deps, unit, {
      id: active.id,
      image: active.image,
      digest: active.imageDigest,
      slot: active.slot ?? 'a',
    });
    const result = await deps.runtime.runOneOff(
      oneOffOf(spec, 'cron', `cron-${job.name}-${randomBytes(4).toString('hex')}`, job.command),
      {
        timeoutMs: deps.settings.releaseTimeoutMs,
        onOutput: (line) => {
          output.push(`${line.stream}: ${line.line}`);
          if (output.length > CRON_OUTPUT_LINES) output.shift();
        },
      },
    );
    const end =
      result.outcome === 'exited'
        ? { status: result.exitCode === 0 ? 'succeeded' : 'failed', exitCode: result.exitCode, reason: null }
        : {
            status: result.outcome === 'timedOut' ? 'timed-out' : 'failed',
            exitCode: null,
            reason: result.outcome,
          };
    await cronRepo.finishRun(run.id, { ...end, output });
    return { status: end.status };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await cronRepo.finishRun(run.id, {
      status: 'failed',
      exitCode: null,
      reason: reason.slice(0, 2000),
      output,
    });
    return { status: 'failed' as const };
  }
}

/** Puts every cron job's schedule back (after a crash between a commit and pg-boss). */
export async function syncCronSchedules() {
  const scheduledKeys = await cronScheduleKeys(projectCronJob);
  const jobs = await cronRepo.allJobs();
  const ids = new Set(jobs.map((job) => job.id));
  for (const job of jobs) await schedule(job.id, job.schedule);
  const stale = scheduledKeys.filter((key) => !ids.has(key));
  for (const key of stale) await schedule(key, null);
  return { cronJobs: jobs.length, cronRemoved: stale.length };
}

/** Runs a cron job now, outside its schedule (`rise cron run`). Audited. */
export async function triggerCronJob(caller: Caller, project: ProjectRecord, name: string) {
  const job = await findCronJob(project, name);
  await inTransaction(async (tx) => {
    await enqueue(tx, projectCronJob, { cronJobId: job.id });
    await recordAudit(
      caller,
      { action: 'project.cron.run', ...projectAuditTarget(project), details: { name } },
      tx,
    );
  });
  return { queued: true as const, name };
}
