import { backupJob } from './definitions/backup.job';
import { backupScheduleSyncJob } from './definitions/backup-schedule-sync.job';
import { certificateCheckJob } from './definitions/certificate-check.job';
import { cleanupJob } from './definitions/cleanup.job';
import { databaseProvisionJob } from './definitions/database-provision.job';
import { databaseRemoveJob } from './definitions/database-remove.job';
import { deployJob } from './definitions/deploy.job';
import { diskCheckJob } from './definitions/disk-check.job';
import { domainCheckJob } from './definitions/domain-check.job';
import { expireJob } from './definitions/expire.job';
import { gitBuildFailedJob, gitBuildJob } from './definitions/git-build.job';
import { gitStatusJob } from './definitions/git-status.job';
import { healthWatchJob } from './definitions/health-watch.job';
import { metricsSampleJob } from './definitions/metrics-sample.job';
import { notifyJob } from './definitions/notify.job';
import { projectCronJob } from './definitions/project-cron.job';
import { projectDeleteJob } from './definitions/project-delete.job';
import { projectScaleJob } from './definitions/project-scale.job';
import { reconcileJob } from './definitions/reconcile.job';
import { restoreJob } from './definitions/restore.job';
import { stopJob } from './definitions/stop.job';
import { uptimeCheckJob } from './definitions/uptime-check.job';
import { volumeBackupJob } from './definitions/volume-backup.job';
import { volumeRemoveJob } from './definitions/volume-remove.job';

/** Every job there is (data only: the web app creates their queues, the worker runs them). */
export const jobs = [
  deployJob,
  stopJob,
  projectDeleteJob,
  reconcileJob,
  cleanupJob,
  databaseProvisionJob,
  databaseRemoveJob,
  backupJob,
  restoreJob,
  backupScheduleSyncJob,
  domainCheckJob,
  expireJob,
  gitBuildJob,
  gitBuildFailedJob,
  gitStatusJob,
  notifyJob,
  metricsSampleJob,
  uptimeCheckJob,
  diskCheckJob,
  healthWatchJob,
  certificateCheckJob,
  volumeRemoveJob,
  projectCronJob,
  volumeBackupJob,
  projectScaleJob,
] as const;

export type Job = (typeof jobs)[number];
export type JobName = Job['name'];

/** The jobs named in `names` (a worker may run a subset: `--queues deploy,reconcile`), or all. */
export function selectJobs(names: readonly string[] | undefined): Job[] {
  if (!names || names.length === 0) return [...jobs];
  const unknown = names.filter((name) => !jobs.some((job) => job.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown queue(s): ${unknown.join(', ')}. Known queues: ${jobs.map((job) => job.name).join(', ')}.`,
    );
  }
  // A worker serving a queue also serves its dead-letter queue, which settles what that queue's jobs left.
  const deadLetters = jobs.flatMap((job) =>
    names.includes(job.name) && 'deadLetter' in job && job.deadLetter ? [job.deadLetter.name] : [],
  );
  return jobs.filter((job) => names.includes(job.name) || deadLetters.includes(job.name));
}
