import { z } from 'zod';
import { runCommandEntry, runCommandInput } from '@/server/domains/deployments/run-command.schema';
import { runProjectCommand } from '@/server/domains/deployments/run-command.service';
import {
  projectProcessesView,
  scaleProcessesInput,
  scaleProcessesOutput,
  setProcessesInput,
  setProcessesOutput,
} from '@/server/domains/processes/process.schema';
import {
  listProjectProcesses,
  scaleProcesses,
  setProjectProcesses,
} from '@/server/domains/processes/process.service';
import {
  createProjectInput,
  listProjectsInput,
  projectChange,
  projectChangesInput,
  projectDetail,
  projectSummary,
  updateProjectInput,
} from '@/server/domains/projects/project.schema';
import {
  createProject,
  deleteProject,
  listProjects,
  toDetail,
  updateProject,
} from '@/server/domains/projects/project.service';
import { projectChanges } from '@/server/domains/projects/project-changes';
import { engineDeps } from '@/server/jobs/engine';
import { asWebRuntime } from '@/server/runtime-gateway/web-runtime';
import { authenticatedProcedure, createTRPCRouter, projectProcedure, userProcedure } from '../trpc';

export const projectRouter = createTRPCRouter({
  create: userProcedure
    .input(createProjectInput)
    .output(projectDetail)
    .mutation(({ ctx, input }) => createProject(ctx.caller, input)),
  /** A page of the caller's projects in name order; the next page starts after the last name. */
  list: authenticatedProcedure
    .input(listProjectsInput)
    .output(z.array(projectSummary))
    .query(({ ctx, input }) => listProjects(ctx.caller, input)),
  /**
   * Status changes of the projects the caller may see, pushed over SSE as they are committed:
   * `changed` carries fresh summaries; `resync` means changes may have been missed (reload).
   */
  changes: authenticatedProcedure.input(projectChangesInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    for await (const change of projectChanges(ctx.caller, input, signal)) yield projectChange.parse(change);
  }),
  get: projectProcedure('project:read')
    .output(projectDetail)
    .query(({ ctx }) => toDetail(ctx.project, ctx.role)),
  update: projectProcedure('project:update')
    .input(updateProjectInput)
    .output(projectDetail)
    .mutation(({ ctx, input }) => updateProject(ctx.caller, ctx, input)),
  /** The processes, web first, with their desired replicas and the active deployment's instances. */
  processes: projectProcedure('project:read')
    .output(projectProcessesView)
    .query(({ ctx }) =>
      // The web server may have no Docker socket (compose): the instance list comes through the worker.
      listProjectProcesses(asWebRuntime(engineDeps(ctx.project.runtime).runtime), ctx.project),
    ),
  /** Makes the processes those `.rise.toml` `[processes]` or a Procfile declare (`rise d c`). */
  setProcesses: projectProcedure('project:deploy')
    .input(setProcessesInput)
    .output(setProcessesOutput)
    .mutation(({ ctx, input }) => setProjectProcesses(ctx.caller, ctx.project, input)),
  /** `rise scale web=3 worker=1`: new replica counts, applied to a running project without a redeploy. */
  scale: projectProcedure('project:deploy')
    .input(scaleProcessesInput)
    .output(scaleProcessesOutput)
    .mutation(({ ctx, input }) => scaleProcesses(ctx.caller, ctx.project, input.counts)),
  /**
   * `rise run`: a command in a one-off container of the active deployment, streamed over SSE (which
   * deployment, the output, then the exit code); the container goes when it ends or the client leaves.
   */
  run: projectProcedure('project:exec')
    .input(runCommandInput)
    .subscription(async function* ({ ctx, input, signal }) {
      const engine = engineDeps(ctx.project.runtime);
      // The web server may have no Docker socket (compose): one-offs then run through the worker.
      const deps = { ...engine, runtime: asWebRuntime(engine.runtime) };
      for await (const entry of runProjectCommand(deps, ctx.caller, ctx.project, input.command, signal)) {
        yield runCommandEntry.parse(entry);
      }
    }),
  delete: projectProcedure('project:delete')
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx }) => deleteProject(ctx.caller, ctx.project)),
});
