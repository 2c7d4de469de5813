import { z } from 'zod';
import { defineJob } from '../types';

/**
 * Delivers one notification event to one channel. Retried with exponential backoff (2 s, 4 s, 8 s …
 * capped at 60 s: see queues.ts); every attempt is recorded in the channel's delivery log.
 */
export const notifyJob = defineJob({
  name: 'notify',
  payload: z.object({ eventId: z.string(), channelId: z.string() }),
  expireInSeconds: 90,
  retryLimit: 6,
});
