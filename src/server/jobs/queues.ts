import type { PgBoss } from 'pg-boss';
import type { JobDefinition } from './types';

export const PGBOSS_SCHEMA = 'pgboss';

/** Creates (or leaves as is) the queue of each job; both the web app and the worker call this. */
export async function ensureQueues(boss: PgBoss, jobs: readonly JobDefinition[]) {
  for (const job of jobs) {
    await boss.createQueue(job.name, {
      policy: job.policy ?? 'standard',
      retryLimit: job.retryLimit,
      retryBackoff: true,
      retryDelay: 2,
      retryDelayMax: 60,
      expireInSeconds: job.expireInSeconds,
      ...(job.heartbeatSeconds ? { heartbeatSeconds: job.heartbeatSeconds } : {}),
    });
  }
}
