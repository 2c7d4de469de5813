import { z } from 'zod';
import { defineJob } from '../types';

/** Restores one backup: in place, into a new database, or as a drill into a scratch database. */
export const restoreJob = defineJob({
  name: 'restore',
  payload: z.object({ restoreId: z.string() }),
  expireInSeconds: 6 * 3600,
  heartbeatSeconds: 30,
  retryLimit: 0,
});
