import { z } from 'zod';
import { defineJob } from '../types';

/** Creates (or re-creates, keeping its volume) a managed database's container and waits until it is ready. */
export const databaseProvisionJob = defineJob({
  name: 'database-provision',
  payload: z.object({ databaseId: z.string() }),
  policy: 'key_strict_fifo',
  keyOf: (payload) => payload.databaseId,
  expireInSeconds: 900,
  heartbeatSeconds: 10,
  retryLimit: 0,
});
