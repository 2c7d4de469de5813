import type { Job, JobName } from './registry';
import { selectJobs } from './registry';
import type { LazyJobHandler, RunnableJob } from './types';

/**
 * What runs each job, for the worker only: domains import the definitions (data) to enqueue them,
 * and handlers import domains, so the two stay apart. Typed by the list of jobs: a job without a
 * handler, or a handler that takes another payload than its job's, does not compile.
 */
const handlers: { [Name in JobName]: LazyJobHandler<Extract<Job, { name: Name }>['payload']> } = {
  deploy: async () => (await import('./definitions/deploy.handler')).handleDeploy,
  stop: async () => (await import('./definitions/stop.handler')).handleStop,
  'project-delete': async () => (await import('./definitions/project-delete.handler')).handleProjectDelete,
  reconcile: async () => (await import('./definitions/reconcile.handler')).handleReconcile,
  cleanup: async () => (await import('./definitions/cleanup.handler')).runCleanup,
  'database-provision': async () =>
    (await import('./definitions/database-provision.handler')).handleDatabaseProvision,
  'database-remove': async () => (await import('./definitions/database-remove.handler')).handleDatabaseRemove,
  backup: async () => (await import('./definitions/backup.handler')).handleBackup,
  restore: async () => (await import('./definitions/restore.handler')).handleRestore,
  'backup-schedule-sync': async () =>
    (await import('./definitions/backup-schedule-sync.handler')).handleBackupScheduleSync,
  'domain-check': async () => (await import('./definitions/domain-check.handler')).handleDomainCheck,
  expire: async () => (await import('./definitions/expire.handler')).handleExpire,
  'git-build': async () => (await import('./definitions/git-build.handler')).handleGitBuild,
  'git-build-failed': async () => (await import('./definitions/git-build.handler')).handleGitBuildFailed,
  'git-status': async () => (await import('./definitions/git-status.handler')).handleGitStatus,
  notify: async () => (await import('./definitions/notify.handler')).handleNotify,
  'metrics-sample': async () => (await import('./definitions/metrics-sample.handler')).handleMetricsSample,
  'uptime-check': async () => (await import('./definitions/uptime-check.handler')).handleUptimeCheck,
  'disk-check': async () => (await import('./definitions/disk-check.handler')).runDiskCheck,
  'health-watch': async () => (await import('./definitions/health-watch.handler')).handleHealthWatch,
  'certificate-check': async () =>
    (await import('./definitions/certificate-check.handler')).handleCertificateCheck,
  'volume-remove': async () => (await import('./definitions/volume-remove.handler')).handleVolumeRemove,
  'project-cron': async () => (await import('./definitions/project-cron.handler')).handleProjectCron,
  'volume-backup': async () => (await import('./definitions/volume-backup.handler')).handleVolumeBackup,
  'project-scale': async () => (await import('./definitions/project-scale.handler')).handleProjectScale,
};

/** The jobs named in `names` (all when empty) with their handlers. */
export function runnableJobs(names: readonly string[] | undefined): RunnableJob[] {
  return selectJobs(names).map((definition) => ({
    definition,
    handler: handlers[definition.name] as LazyJobHandler,
  }));
}
