import { createDatabaseHost } from '@/server/databases';
import { provisionDatabase } from '@/server/domains/databases/provision-database';
import { withDatabaseLock } from '../project-lock';

export async function handleDatabaseProvision(payload: { databaseId: string }, signal: AbortSignal) {
  return withDatabaseLock(payload.databaseId, () =>
    provisionDatabase(createDatabaseHost(), payload.databaseId, signal),
  );
}
