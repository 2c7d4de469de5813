import type { DatabaseHost } from '@/server/databases/types';
import { databaseRepo } from './database.repo';
import { credentialsOf } from './database-credentials';

/**
 * Runs a database's container: replaces any container of that name (the volume, and so the data, is
 * kept), starts it and waits until the engine accepts its credentials. Failure is recorded on the row.
 */
export async function provisionDatabase(host: DatabaseHost, databaseId: string, signal?: AbortSignal) {
  const row = await databaseRepo.findWithProject(databaseId);
  if (!row) return { skipped: 'deleted' };
  await databaseRepo.setStatus(row.id, 'provisioning');
  try {
    await host.remove(row.host, { removeVolume: false, volumeName: row.volumeName });
    const { containerId } = await host.provision(
      {
        engine: row.engine,
        image: row.image,
        project: row.project.name,
        host: row.host,
        volumeName: row.volumeName,
        credentials: credentialsOf(row),
        cpuLimit: row.cpuLimit,
        memoryLimitMb: row.memoryLimitMb,
        labels: { 'dev.rise.project': row.project.name, 'dev.rise.database-id': row.id },
      },
      { signal },
    );
    await databaseRepo.update(row.id, { status: 'running', error: null, containerId });
    return { host: row.host, status: 'running' };
  } catch (error) {
    await databaseRepo.setStatus(row.id, 'failed', error instanceof Error ? error.message : String(error));
    throw error;
  }
}
