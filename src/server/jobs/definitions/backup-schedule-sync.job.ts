import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Makes pg-boss's cron schedules match the backup schedules in the database (and creates the platform
 * backup schedule from RISE_PLATFORM_BACKUP_CRON); on every worker start and every 10 minutes.
 */
export const backupScheduleSyncJob = defineJob({
  name: 'backup-schedule-sync',
  payload: z.object({}).passthrough(),
  policy: 'singleton',
  schedule: '*/10 * * * *',
  runOnStart: true,
  expireInSeconds: 300,
  retryLimit: 3,
});
