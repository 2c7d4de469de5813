import { z } from 'zod';
import {
  createServiceAccountInput,
  serviceAccountReference,
  serviceAccountView,
} from '@/server/domains/service-accounts/service-account.schema';
import {
  createServiceAccount,
  deleteServiceAccount,
  getServiceAccount,
  listServiceAccounts,
} from '@/server/domains/service-accounts/service-account.service';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const serviceAccountRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(serviceAccountView))
    .query(({ ctx }) => listServiceAccounts(ctx.project)),
  show: projectProcedure('project:read')
    .input(z.object({ serviceAccount: serviceAccountReference }))
    .output(serviceAccountView)
    .query(({ ctx, input }) => getServiceAccount(ctx.project, input.serviceAccount)),
  create: projectProcedure('project:service-accounts')
    .input(createServiceAccountInput)
    .output(serviceAccountView)
    .mutation(({ ctx, input }) => createServiceAccount(ctx.caller, ctx.project, input)),
  delete: projectProcedure('project:service-accounts')
    .input(z.object({ name: z.string().min(1) }))
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteServiceAccount(ctx.caller, ctx.project, input.name)),
});
