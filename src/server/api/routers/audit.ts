import { z } from 'zod';
import { auditEventView, listAuditInput } from '@/server/domains/audit/audit.schema';
import { listAuditEvents } from '@/server/domains/audit/audit-list.service';
import { createTRPCRouter, userProcedure } from '../trpc';

export const auditRouter = createTRPCRouter({
  list: userProcedure
    .input(listAuditInput)
    .output(z.object({ events: z.array(auditEventView), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listAuditEvents(ctx.caller, input)),
});
