import { z } from 'zod';
import {
  listEnvVars,
  removeEnvVar,
  revealEnvVar,
  setEnvVars,
} from '@/server/domains/env-vars/env-var.service';
import { envVarKey, envVarView } from '@/shared/env-vars/env-var.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const envRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(envVarView))
    .query(({ ctx }) => listEnvVars(ctx.project)),
  set: projectProcedure('project:env')
    .input(
      z.object({
        vars: z
          .array(
            z.object({ key: envVarKey, value: z.string().max(65536), secret: z.boolean().default(false) }),
          )
          .min(1)
          .max(200),
      }),
    )
    .output(z.array(envVarView))
    .mutation(({ ctx, input }) => setEnvVars(ctx.caller, ctx.project, input.vars)),
  /** A mutation, not a query: revealing a secret is recorded in the audit log. */
  reveal: projectProcedure('project:env')
    .input(z.object({ key: envVarKey }))
    .output(z.object({ key: z.string(), value: z.string() }))
    .mutation(({ ctx, input }) => revealEnvVar(ctx.caller, ctx.project, input.key)),
  remove: projectProcedure('project:env')
    .input(z.object({ key: envVarKey }))
    .output(z.array(envVarView))
    .mutation(({ ctx, input }) => removeEnvVar(ctx.caller, ctx.project, input.key)),
});
