import { z } from 'zod';
import {
  generateGitDeployKey,
  getGitSource,
  listGitSourceRefs,
  removeGitSource,
  revealWebhookSecret,
  rotateWebhookSecret,
  setGitSource,
} from '@/server/domains/git-sources/git-source.service';
import { gitRefView } from '@/shared/git/git-ref.schema';
import { gitSourceSettings, gitSourceView } from '@/shared/git/git-source.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

const webhookSecret = z.object({ webhookSecret: z.string() });

export const gitSourceRouter = createTRPCRouter({
  /** Null when the project has no git source. */
  get: projectProcedure('project:read')
    .output(gitSourceView.nullable())
    .query(({ ctx }) => getGitSource(ctx.project)),
  /** The repository's branches and tags (`git ls-remote`), for picking what to deploy. */
  refs: projectProcedure('project:read')
    .output(z.array(gitRefView))
    .query(({ ctx }) => listGitSourceRefs(ctx.project)),
  /** The webhook secret is in the answer only when this call created the source. */
  set: projectProcedure('project:update')
    .input(gitSourceSettings)
    .output(z.object({ source: gitSourceView, webhookSecret: z.string().nullable() }))
    .mutation(({ ctx, input }) => {
      const { project: _, ...settings } = input;
      return setGitSource(ctx.caller, ctx.project, settings);
    }),
  remove: projectProcedure('project:update')
    .output(z.object({ removed: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await removeGitSource(ctx.caller, ctx.project);
      return { removed: true as const };
    }),
  generateDeployKey: projectProcedure('project:update')
    .output(z.object({ publicKey: z.string() }))
    .mutation(({ ctx }) => generateGitDeployKey(ctx.caller, ctx.project)),
  rotateWebhookSecret: projectProcedure('project:update')
    .output(webhookSecret)
    .mutation(({ ctx }) => rotateWebhookSecret(ctx.caller, ctx.project)),
  /** A mutation, not a query: revealing the secret is recorded in the audit log. */
  revealWebhookSecret: projectProcedure('project:update')
    .output(webhookSecret)
    .mutation(({ ctx }) => revealWebhookSecret(ctx.caller, ctx.project)),
});
