import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Takes one backup: `backupId` when requested (the row exists), `scheduleId` when a cron schedule
 * fired (the handler records the row). Failures are recorded and notified, never retried blindly.
 */
export const backupJob = defineJob({
  name: 'backup',
  payload: z.union([z.object({ backupId: z.string() }), z.object({ scheduleId: z.string() })]),
  expireInSeconds: 6 * 3600,
  heartbeatSeconds: 30,
  retryLimit: 0,
});
