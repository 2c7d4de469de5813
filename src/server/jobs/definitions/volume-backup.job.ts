import { z } from 'zod';
import { volumeBackupAction } from '@/shared/volumes/volume.schema';
import { defineJob } from '../types';

/** Takes, drills or restores one volume backup (its row says which volume and destination). */
export const volumeBackupJob = defineJob({
  name: 'volume-backup',
  payload: z.object({ volumeBackupId: z.string(), action: volumeBackupAction }),
  expireInSeconds: 6 * 3600,
  heartbeatSeconds: 30,
  retryLimit: 0,
});
