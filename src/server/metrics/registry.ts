import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prefix of every metric Rise exports, the process defaults included. */
export const METRIC_PREFIX = 'rise_';

/** Jobs' latency and duration: from a second to an hour (builds and backups run for minutes). */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600];
const API_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PHASE_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
const SIZE_BUCKETS = [1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11];

/**
 * Every metric of one process. Labels take values from closed sets only (queue and procedure names,
 * results, phases, engines): never project names, ids or URLs, so the number of series stays bounded.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return {
    registry,
    jobLatency: new Histogram({
      name: 'rise_job_latency_seconds',
      help: 'Time from a job being created to an attempt of it starting, by queue.',
      labelNames: ['queue'] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'rise_job_duration_seconds',
      help: 'Time a job attempt ran, by queue and result (completed or failed).',
      labelNames: ['queue', 'result'] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
    deployments: new Counter({
      name: 'rise_deployments_total',
      help: 'Deployments the deploy engine finished, by result (succeeded, failed or cancelled).',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    deployPhase: new Histogram({
      name: 'rise_deploy_phase_duration_seconds',
      help: 'Time a deployment spent in each phase: resolve (image digest), start (pull and start), health, switch (traffic), drain (old instance removed).',
      labelNames: ['phase'] as const,
      buckets: PHASE_BUCKETS,
      registers: [registry],
    }),
    apiRequests: new Histogram({
      name: 'rise_api_request_duration_seconds',
      help: 'Time tRPC API procedures took, by procedure path, type and result code.',
      labelNames: ['procedure', 'type', 'code'] as const,
      buckets: API_BUCKETS,
      registers: [registry],
    }),
    backups: new Counter({
      name: 'rise_backups_total',
      help: 'Backups run, by engine (postgres, mariadb, redis or platform) and result (succeeded or failed).',
      labelNames: ['engine', 'result'] as const,
      registers: [registry],
    }),
    backupSize: new Histogram({
      name: 'rise_backup_size_bytes',
      help: 'Size of the stored archive of each succeeded backup, by engine.',
      labelNames: ['engine'] as const,
      buckets: SIZE_BUCKETS,
      registers: [registry],
    }),
    backupDuration: new Histogram({
      name: 'rise_backup_duration_seconds',
      help: 'Time a backup took (dump, compress, upload and verify), by engine and result.',
      labelNames: ['engine', 'result'] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
    reconcilePasses: new Counter({
      name: 'rise_reconcile_passes_total',
      help: 'Reconcile passes, by runtime and result (ok or failed).',
      labelNames: ['runtime', 'result'] as const,
      registers: [registry],
    }),
    reconcileRepairs: new Counter({
      name: 'rise_reconcile_repairs_total',
      help: 'What reconcile passes repaired, by runtime and kind (routes upserted, orphans removed, restarts…).',
      labelNames: ['runtime', 'kind'] as const,
      registers: [registry],
    }),
  };
}

export type RiseMetrics = ReturnType<typeof createMetrics>;

const GLOBAL_KEY = Symbol.for('rise.metrics');

/**
 * This process's metrics, created once. Kept on globalThis: Next.js may load this module once per
 * route bundle, and every copy must count into the same registry the route handler serves.
 */
export function riseMetrics(): RiseMetrics {
  const holder = globalThis as { [GLOBAL_KEY]?: RiseMetrics };
  holder[GLOBAL_KEY] ??= createMetrics();
  return holder[GLOBAL_KEY];
}
