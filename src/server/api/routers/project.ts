import { z } from 'zod';
import {
  createProjectInput,
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
import { authenticatedProcedure, createTRPCRouter, projectProcedure, userProcedure } from '../trpc';

export const projectRouter = createTRPCRouter({
  create: userProcedure
    .input(createProjectInput)
    .output(projectDetail)
    .mutation(({ ctx, input }) => createProject(ctx.caller, input)),
  list: authenticatedProcedure
    .input(z.object({ all: z.boolean().default(false) }).default({ all: false }))
    .output(z.array(projectSummary))
    .query(({ ctx, input }) => listProjects(ctx.caller, input)),
  get: projectProcedure('project:read')
    .output(projectDetail)
    .query(({ ctx }) => toDetail(ctx.project, ctx.role)),
  update: projectProcedure('project:update')
    .input(updateProjectInput)
    .output(projectDetail)
    .mutation(({ ctx, input }) => updateProject(ctx.caller, ctx, input)),
  delete: projectProcedure('project:delete')
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx }) => deleteProject(ctx.caller, ctx.project)),
});
