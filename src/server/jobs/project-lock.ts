import pg from 'pg';
import { requireEnv } from '@/env';

/**
 * Runs `work` holding a PostgreSQL advisory lock for `key`, so deploy, stop and delete of one project
 * never overlap, whichever worker runs them. A dead worker's lock ends with its connection.
 */
export function withProjectLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  return withAdvisoryLock(`rise:project:${key}`, work);
}

/** Backups, restores and (re)provisioning of one managed database never overlap. */
export function withDatabaseLock<T>(databaseId: string, work: () => Promise<T>): Promise<T> {
  return withAdvisoryLock(`rise:database:${databaseId}`, work);
}

async function withAdvisoryLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
    return await work();
  } finally {
    await client.end();
  }
}
