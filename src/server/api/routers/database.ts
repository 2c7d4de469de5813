import { z } from 'zod';
import {
  createDatabase,
  deleteDatabase,
  getDatabase,
  linkDatabase,
  listDatabases,
  revealConnection,
} from '@/server/domains/databases/database.service';
import {
  createDatabaseInput,
  databaseName,
  databaseView,
  envPrefix,
} from '@/shared/databases/database.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

const named = z.object({ database: databaseName });

export const databaseRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(databaseView))
    .query(({ ctx }) => listDatabases(ctx.project)),
  get: projectProcedure('project:read')
    .input(named)
    .output(databaseView)
    .query(({ ctx, input }) => getDatabase(ctx.project, input.database)),
  create: projectProcedure('project:databases')
    .input(createDatabaseInput)
    .output(databaseView)
    .mutation(({ ctx, input }) => createDatabase(ctx.caller, ctx.project, input)),
  /** Sets the env prefix the project gets the connection under, or null to unlink. */
  link: projectProcedure('project:databases')
    .input(named.extend({ envPrefix: envPrefix.nullable() }))
    .output(databaseView)
    .mutation(({ ctx, input }) => linkDatabase(ctx.caller, ctx.project, input.database, input.envPrefix)),
  delete: projectProcedure('project:databases')
    .input(named)
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteDatabase(ctx.caller, ctx.project, input.database)),
  /** A mutation, not a query: revealing the password is recorded in the audit log. */
  reveal: projectProcedure('project:env')
    .input(named)
    .output(z.object({ url: z.string() }))
    .mutation(({ ctx, input }) => revealConnection(ctx.caller, ctx.project, input.database)),
});
