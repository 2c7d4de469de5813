import { backupJob } from './definitions/backup.job';
import { backupScheduleSyncJob } from './definitions/backup-schedule-sync.job';
import { cleanupJob } from './definitions/cleanup.job';
import { databaseProvisionJob } from './definitions/database-provision.job';
import { databaseRemoveJob } from './definitions/database-remove.job';
import { deployJob } from './definitions/deploy.job';
import { domainCheckJob } from './definitions/domain-check.job';
import { projectDeleteJob } from './definitions/project-delete.job';
import { reconcileJob } from './definitions/reconcile.job';
import { restoreJob } from './definitions/restore.job';
import { stopJob } from './definitions/stop.job';
import type { JobDefinition } from './types';

/** Every job the worker knows; a worker may run a subset (`--queues deploy,reconcile`). */
export const jobs: readonly JobDefinition[] = [
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
];

export function selectJobs(names: readonly string[] | undefined): JobDefinition[] {
  if (!names || names.length === 0) return [...jobs];
  const unknown = names.filter((name) => !jobs.some((job) => job.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown queue(s): ${unknown.join(', ')}. Known queues: ${jobs.map((job) => job.name).join(', ')}.`,
    );
  }
  return jobs.filter((job) => names.includes(job.name));
}
