import { z } from 'zod';
import { defineJob } from '../types';

/** Removes a deleted database's container and volume (its row is already gone). */
export const databaseRemoveJob = defineJob({
  name: 'database-remove',
  payload: z.object({ host: z.string(), volumeName: z.string() }),
  expireInSeconds: 300,
  retryLimit: 5,
});
