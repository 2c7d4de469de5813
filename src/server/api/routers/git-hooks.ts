import { z } from 'zod';
import { redeliverInput, webhookDeliveryView } from '@/server/domains/git-hooks/git-hook.schema';
import { listWebhookDeliveries, redeliverWebhook } from '@/server/domains/git-hooks/git-hook.service';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const gitHooksRouter = createTRPCRouter({
  /** The project's latest 50 webhook deliveries, newest first. */
  deliveries: projectProcedure('project:read')
    .output(z.array(webhookDeliveryView))
    .query(({ ctx }) => listWebhookDeliveries(ctx.project)),
  redeliver: projectProcedure('project:deploy')
    .input(redeliverInput)
    .output(webhookDeliveryView)
    .mutation(({ ctx, input }) => redeliverWebhook(ctx.caller, ctx.project, input.delivery)),
});
