import { parseArgs } from 'node:util';
import { EnvError, env, requireEnv } from '@/env';
import { startCrashListener } from '@/server/jobs/definitions/crash.listener';
import { startGitStatusListener } from '@/server/jobs/definitions/git-status.listener';
import { startDeploymentNotificationListener } from '@/server/jobs/definitions/notify.listener';
import { runnableJobs } from '@/server/jobs/handlers';
import { installProcessNet } from '@/server/jobs/job-scope';
import { startWorker } from '@/server/jobs/worker-runtime';
import { startMetricsListener } from '@/server/metrics/metrics-listener';
import { startWorkerHeartbeat } from '@/server/platform/worker-heartbeat';

const log = (line: string) => console.log(`[worker] ${line}`);

async function main() {
  // Before anything opens a socket: no job's stray error may stop the worker (and every tenant's jobs).
  installProcessNet((line) => console.error(`[worker] ${line}`));
  const { values } = parseArgs({
    options: { queues: { type: 'string' }, concurrency: { type: 'string', default: '2' } },
  });
  const queues =
    values.queues
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean) ?? env.RISE_WORKER_QUEUES;
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('--concurrency must be a positive integer');

  const jobs = runnableJobs(queues);
  const worker = await startWorker({
    connectionString: requireEnv('DATABASE_URL'),
    jobs,
    concurrency,
    concurrencyOf: { deploy: env.RISE_DEPLOY_CONCURRENCY, 'git-build': env.RISE_BUILD_CONCURRENCY },
    pollSeconds: env.RISE_WORKER_POLL_SECONDS,
    superviseIntervalSeconds: env.RISE_WORKER_SUPERVISE_SECONDS,
    log,
  });
  // Prometheus scrapes the worker on an address of its own (it has no other HTTP server).
  const metrics = env.RISE_WORKER_METRICS_ADDRESS
    ? await startMetricsListener({
        address: env.RISE_WORKER_METRICS_ADDRESS,
        token: env.RISE_METRICS_TOKEN,
        log,
      })
    : null;
  // Admin → Health shows what this process sees of its runtime (the web server may have no socket).
  const heartbeat = startWorkerHeartbeat({ log });
  // Commit statuses follow deployments' status changes (a NOTIFY), queued by the workers that report them.
  const stopGitStatus = jobs.some((job) => job.definition.name === 'git-status')
    ? await startGitStatusListener(log)
    : () => {};
  // Deployment notifications follow status changes too (a NOTIFY), raised by the workers that deliver them.
  const stopDeploymentNotifications = jobs.some((job) => job.definition.name === 'notify')
    ? await startDeploymentNotificationListener(log)
    : () => {};
  // A crashed app is reconciled when Docker reports its death, not at the next scheduled pass.
  const stopCrashes = jobs.some((job) => job.definition.name === 'reconcile')
    ? startCrashListener(log)
    : () => {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, finishing running jobs...`);
    stopGitStatus();
    stopDeploymentNotifications();
    stopCrashes();
    await heartbeat.stop();
    await worker.stop();
    await metrics?.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
