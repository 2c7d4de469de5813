import { z } from 'zod';
import { buildDefaults } from '@/server/domains/deployments/build-defaults.service';
import { appendBuildLogInput, appendBuildLogResult } from '@/server/domains/deployments/build-log.schema';
import { appendBuildLog } from '@/server/domains/deployments/build-log.service';
import {
  createDeploymentInput,
  deploymentGroupView,
  deploymentId,
  deploymentLogEntry,
  deploymentView,
  extendDeploymentInput,
  listDeploymentsInput,
  reportDeploymentInput,
} from '@/server/domains/deployments/deployment.schema';
import {
  cancelDeployment,
  createDeployment,
  getDeployment,
  imageProblem,
  listDeployments,
  redeployProject,
  reportDeployment,
  restartProject,
  rollbackDeployment,
  startProject,
  stopProjectRequest,
} from '@/server/domains/deployments/deployment.service';
import {
  extendDeployment,
  listDeploymentGroups,
  stopGroupRequest,
} from '@/server/domains/deployments/deployment-groups.service';
import { buildLog, deploymentEvents, runtimeLogs } from '@/server/domains/deployments/deployment-logs';
import { webRuntime } from '@/server/runtime-gateway/web-runtime';
import { buildDefaultsView } from '@/shared/builders/build-settings';
import { groupName } from '@/shared/deployment-groups';
import { MAX_REPLICAS, processName, WEB } from '@/shared/processes/process.schema';
import { authenticatedProcedure, createTRPCRouter, projectProcedure } from '../trpc';

export const deploymentRouter = createTRPCRouter({
  create: projectProcedure('project:deploy')
    .input(createDeploymentInput)
    .output(deploymentView)
    .mutation(({ ctx, input }) => createDeployment(ctx.caller, ctx.project, input)),
  /** What `create` would refuse about an image reference, checked as the dashboard's user types it. */
  checkImage: projectProcedure('project:deploy')
    .input(z.object({ image: z.string().max(4096) }))
    .output(z.object({ problem: z.string().nullable() }))
    .query(({ ctx, input }) => ({ problem: imageProblem(ctx.project, input.image) })),
  report: projectProcedure('project:deploy')
    .input(reportDeploymentInput)
    .output(deploymentView)
    .mutation(({ ctx, input }) => reportDeployment(ctx.caller, ctx.project, input)),
  /** The server's build settings (base images); a project's `.rise.toml` [build] overrides them. */
  buildDefaults: authenticatedProcedure
    .input(z.void())
    .output(buildDefaultsView)
    .query(() => buildDefaults()),
  /** Output lines of a client build, added to the deployment's log while it builds or pushes. */
  appendBuildLog: projectProcedure('project:deploy')
    .input(appendBuildLogInput)
    .output(appendBuildLogResult)
    .mutation(({ ctx, input }) => appendBuildLog(ctx.caller, ctx.project, input)),
  /** A page of deployments, newest first; the next page starts after the last id (`cursor`). */
  list: projectProcedure('project:read')
    .input(listDeploymentsInput)
    .output(z.array(deploymentView))
    .query(({ ctx, input }) => listDeployments(ctx.project, input)),
  get: projectProcedure('project:read')
    .input(z.object({ deployment: deploymentId }))
    .output(deploymentView)
    .query(({ ctx, input }) => getDeployment(ctx.project, input.deployment)),
  rollback: projectProcedure('project:rollback')
    .input(z.object({ deployment: deploymentId.optional(), group: groupName.optional() }))
    .output(deploymentView)
    .mutation(({ ctx, input }) => rollbackDeployment(ctx.caller, ctx.project, input)),
  /** The running version again with the project's current env vars and settings. */
  redeploy: projectProcedure('project:deploy')
    .output(deploymentView)
    .mutation(({ ctx }) => redeployProject(ctx.caller, ctx.project)),
  /** Fresh instances of the running version, blue/green (a new deployment of the same digest). */
  restart: projectProcedure('project:deploy')
    .output(deploymentView)
    .mutation(({ ctx }) => restartProject(ctx.caller, ctx.project)),
  stop: projectProcedure('project:stop')
    .output(z.object({ project: z.string(), desiredState: z.literal('stopped') }))
    .mutation(({ ctx }) => stopProjectRequest(ctx.caller, ctx.project)),
  /** Stops a preview group (not `default`: that is `stop`): its route and instances go. */
  stopGroup: projectProcedure('project:deploy')
    .input(z.object({ group: groupName }))
    .output(z.object({ project: z.string(), group: z.string(), stopped: z.boolean() }))
    .mutation(({ ctx, input }) => stopGroupRequest(ctx.caller, ctx.project, input.group)),
  /** A new expiry for a deployment, or for a group's active deployment. */
  extend: projectProcedure('project:deploy')
    .input(extendDeploymentInput)
    .output(deploymentView)
    .mutation(async ({ ctx, input }) =>
      getDeployment(ctx.project, await extendDeployment(ctx.caller, ctx.project, input)),
    ),
  /** The project's preview groups (every group but `default`) with URL, status and expiry. */
  groups: projectProcedure('project:read')
    .output(z.array(deploymentGroupView))
    .query(({ ctx }) => listDeploymentGroups(ctx.project)),
  start: projectProcedure('project:stop')
    .output(deploymentView)
    .mutation(({ ctx }) => startProject(ctx.caller, ctx.project)),
  cancel: projectProcedure('project:deploy')
    .input(z.object({ deployment: deploymentId }))
    .output(deploymentView)
    .mutation(({ ctx, input }) => cancelDeployment(ctx.caller, ctx.project, input.deployment)),
  /**
   * Deploy events (`source: events`), the build log (`source: build`, following until the build ends)
   * or the app's output (`source: runtime`), streamed over SSE.
   */
  logs: projectProcedure('project:read')
    .input(
      z.object({
        deployment: deploymentId,
        source: z.enum(['events', 'build', 'runtime']).default('events'),
        follow: z.boolean().default(false),
        tail: z.number().int().min(0).max(10_000).default(200),
        /** Runtime output of one instance (absent: web's replica 0). */
        process: processName.optional(),
        replica: z
          .number()
          .int()
          .min(0)
          .max(MAX_REPLICAS - 1)
          .optional(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      const deployment = await getDeployment(ctx.project, input.deployment);
      const entries =
        input.source === 'events'
          ? deploymentEvents(deployment.id, { follow: input.follow, signal })
          : input.source === 'build'
            ? buildLog(deployment.id, { follow: input.follow, signal })
            : runtimeLogs(webRuntime(ctx.project.runtime), ctx.project.name, deployment.id, {
                follow: input.follow,
                tail: input.tail,
                signal,
                instance:
                  input.process === undefined && input.replica === undefined
                    ? undefined
                    : { process: input.process ?? WEB, replica: input.replica ?? 0 },
              });
      for await (const entry of entries) yield deploymentLogEntry.parse(entry);
    }),
});
