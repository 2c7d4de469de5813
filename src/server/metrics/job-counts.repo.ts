import { getDb } from '@/server/db';
import { PGBOSS_SCHEMA } from '@/server/jobs/queues';

export type QueueCounts = {
  queue: string;
  deferred: number;
  ready: number;
  active: number;
  failed: number;
};

/**
 * Jobs per queue and state as pg-boss's monitor last counted them (its `queue` table, one row per
 * queue): a scrape reads a handful of rows, never the job table.
 */
export async function queueCounts(): Promise<QueueCounts[]> {
  return getDb().$queryRawUnsafe<QueueCounts[]>(
    `SELECT name AS queue, deferred_count AS deferred, ready_count AS ready, active_count AS active,
            failed_count AS failed
       FROM ${PGBOSS_SCHEMA}.queue ORDER BY name`,
  );
}
