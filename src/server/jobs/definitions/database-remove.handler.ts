import { createDatabaseHost } from '@/server/databases';

export async function handleDatabaseRemove(payload: { host: string; volumeName: string }) {
  await createDatabaseHost().remove(payload.host, { removeVolume: true, volumeName: payload.volumeName });
  return { removed: payload.host };
}
