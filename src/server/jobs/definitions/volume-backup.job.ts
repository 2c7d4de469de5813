import { z } from 'zod';
import { volumeBackupAction } from '@/shared/volumes/volume.schema';
import { defineJob } from '../types';

/**
 * Takes, drills or restores one volume backup (its row says which volume and destination), or, when a
 * volume's cron schedule fires (`volumeId`), records and takes a scheduled backup, then applies retention.
 */
export const volumeBackupJob = defineJob({
  name: 'volume-backup',
  payload: z.union([
    z.object({ volumeBackupId: z.string(), action: volumeBackupAction }),
    z.object({ volumeId: z.string() }),
  ]),
  expireInSeconds: 6 * 3600,
  heartbeatSeconds: 30,
  retryLimit: 0,
});
