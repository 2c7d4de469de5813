import { z } from 'zod';
import { gitProvider } from './git-event.schema';

export const webhookDeliveryView = z.object({
  id: z.string(),
  provider: gitProvider,
  deliveryId: z.string(),
  event: z.string(),
  status: z.enum(['accepted', 'ignored', 'failed']),
  detail: z.string().nullable(),
  deploymentId: z.string().nullable(),
  receivedAt: z.date(),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryView>;

export const redeliverInput = z.object({ delivery: z.string().min(1).max(100) });
