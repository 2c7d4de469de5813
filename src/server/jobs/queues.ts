import type { PgBoss } from 'pg-boss';
import type { JobDefinition } from './types';

export const PGBOSS_SCHEMA = 'pgboss';

/** Creates (or leaves as is) the queue of each job; both the web app and the worker call this. */
export async function ensureQueues(boss: PgBoss, jobs: readonly JobDefinition[]) {
  for (const job of jobs) {
    // A dead-letter queue must exist before a queue names it.
    if (job.deadLetter) await ensureQueues(boss, [job.deadLetter]);
    await boss.createQueue(job.name, {
      policy: job.policy ?? 'standard',
      retryLimit: job.retryLimit,
      retryBackoff: true,
      retryDelay: 2,
      retryDelayMax: 60,
      expireInSeconds: job.expireInSeconds,
      notify: true,
      ...(job.heartbeatSeconds ? { heartbeatSeconds: job.heartbeatSeconds } : {}),
      ...(job.deadLetter ? { deadLetter: job.deadLetter.name } : {}),
    });
    // Every send then runs pg_notify in its own transaction, which wakes the listening workers at
    // commit instead of at their next poll. createQueue leaves an existing queue as it is, so queues
    // made before notify existed are switched on here.
    // The expiry and dead letter follow the definition too (a build queue's expiry follows RISE_BUILD_TIMEOUT).
    await boss.updateQueue(job.name, {
      notify: true,
      expireInSeconds: job.expireInSeconds,
      ...(job.deadLetter ? { deadLetter: job.deadLetter.name } : {}),
    });
  }
}
