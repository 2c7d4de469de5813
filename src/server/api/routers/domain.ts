import { z } from 'zod';
import {
  addDomain,
  listDomains,
  removeDomain,
  verifyDomain,
} from '@/server/domains/custom-domains/domain.service';
import { domainView, hostname } from '@/shared/custom-domains/domain.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const domainRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(domainView))
    .query(({ ctx }) => listDomains(ctx.project)),
  add: projectProcedure('project:domains')
    .input(z.object({ hostname }))
    .output(z.array(domainView))
    .mutation(({ ctx, input }) => addDomain(ctx.caller, ctx.project, input.hostname)),
  verify: projectProcedure('project:domains')
    .input(z.object({ hostname }))
    .output(domainView)
    .mutation(({ ctx, input }) => verifyDomain(ctx.caller, ctx.project, input.hostname)),
  remove: projectProcedure('project:domains')
    .input(z.object({ hostname }))
    .output(z.array(domainView))
    .mutation(({ ctx, input }) => removeDomain(ctx.caller, ctx.project, input.hostname)),
});
