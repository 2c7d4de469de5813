import type { z } from 'zod';
import { deliverEvent } from '@/server/domains/notifications/deliver-notification';
import { outboundGuard } from '@/server/security/outbound-guard';
import type { JobAttempt } from '../types';
import type { notifyJob } from './notify.job';

export function handleNotify(
  payload: z.output<typeof notifyJob.payload>,
  _signal: AbortSignal,
  attempt: JobAttempt,
) {
  return deliverEvent(payload, { attempt: attempt.retryCount + 1, guard: outboundGuard() });
}
