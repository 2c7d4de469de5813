import { z } from 'zod';
import { issueRegistryCredentials } from '@/server/domains/registry-access/registry-credentials.service';
import { registryProvider } from '@/server/registry/providers';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const registryCredentials = z.object({
  host: z.string(),
  username: z.string(),
  password: z.string(),
  expiresAt: z.date(),
  repository: z.string(),
});

export const registryRouter = createTRPCRouter({
  /** Short-lived push/pull credentials for the project's repository (`docker login host`). */
  credentials: projectProcedure('project:deploy')
    .output(registryCredentials)
    .mutation(({ ctx }) => issueRegistryCredentials(ctx.caller, ctx.project, registryProvider())),
});
