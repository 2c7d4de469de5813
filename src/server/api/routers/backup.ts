import { z } from 'zod';
import type { ProjectAction } from '@/server/domains/access/permissions';
import { getBackup, listBackups, requestBackup } from '@/server/domains/backups/backup.service';
import type { BackupScope } from '@/server/domains/backups/backup-scope';
import {
  createDestination,
  deleteDestination,
  listDestinations,
} from '@/server/domains/backups/destination.service';
import { followRestore, listRestores, requestRestore } from '@/server/domains/backups/restore.service';
import { createSchedule, deleteSchedule, listSchedules } from '@/server/domains/backups/schedule.service';
import { findDatabase } from '@/server/domains/databases/database.service';
import { listNotifications } from '@/server/domains/notifications/notification.service';
import {
  backupView,
  destinationInput,
  destinationName,
  destinationView,
  historyPageInput,
  restoreMode,
  restoreView,
  scheduleInput,
  scheduleView,
} from '@/shared/backups/backup.schema';
import { databaseName } from '@/shared/databases/database.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';
import { notificationView, restoreLogEntry } from './backup-views';

/** A procedure on one database of the project: ctx gains `database` and the backup `scope`. */
const databaseProcedure = (action: ProjectAction) =>
  projectProcedure(action)
    .input(z.object({ database: databaseName }))
    .use(async ({ ctx, input, next }) => {
      const database = await findDatabase(ctx.project, input.database);
      const scope: BackupScope = { kind: 'project', project: ctx.project };
      return next({ ctx: { database, scope, owner: { databaseId: database.id } } });
    });

const projectScope = (project: Extract<BackupScope, { kind: 'project' }>['project']): BackupScope => ({
  kind: 'project',
  project,
});

export const backupRouter = createTRPCRouter({
  /** Backup history of a database, newest first. */
  list: databaseProcedure('project:read')
    .input(historyPageInput)
    .output(z.array(backupView))
    .query(({ ctx, input }) => listBackups(ctx.owner, input)),
  get: databaseProcedure('project:read')
    .input(z.object({ backup: z.string() }))
    .output(backupView)
    .query(({ ctx, input }) => getBackup(ctx.owner, input.backup)),
  run: databaseProcedure('project:backup')
    .input(z.object({ destination: destinationName.optional(), encrypt: z.boolean().default(false) }))
    .output(backupView)
    .mutation(({ ctx, input }) => requestBackup(ctx.caller, ctx.scope, ctx.database, input)),
  restore: databaseProcedure('project:restore')
    .input(
      z.object({ backup: z.string(), mode: restoreMode.default('in_place'), into: databaseName.optional() }),
    )
    .output(restoreView)
    .mutation(({ ctx, input }) =>
      requestRestore(ctx.caller, ctx.scope, ctx.owner, {
        backupId: input.backup,
        mode: input.mode,
        into: input.into,
      }),
    ),
  /** Restores of the database's backups, newest first, a page at a time. */
  restores: databaseProcedure('project:read')
    .input(historyPageInput)
    .output(z.array(restoreView))
    .query(({ ctx, input }) => listRestores(ctx.owner, input)),
  /** The restore's log lines as they are written; ends once it finished. */
  restoreLogs: databaseProcedure('project:read')
    .input(z.object({ restore: z.string() }))
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const entry of followRestore(ctx.owner, input.restore, signal)) {
        yield restoreLogEntry.parse(entry);
      }
    }),
  schedules: databaseProcedure('project:read')
    .output(z.array(scheduleView))
    .query(({ ctx }) => listSchedules(ctx.database.id)),
  addSchedule: databaseProcedure('project:databases')
    .input(scheduleInput)
    .output(scheduleView)
    .mutation(({ ctx, input }) => createSchedule(ctx.caller, ctx.scope, ctx.database, input)),
  removeSchedule: databaseProcedure('project:databases')
    .input(z.object({ schedule: z.string() }))
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteSchedule(ctx.caller, ctx.scope, ctx.database.id, input.schedule)),
  destinations: projectProcedure('project:read')
    .output(z.array(destinationView))
    .query(({ ctx }) => listDestinations(projectScope(ctx.project))),
  addDestination: projectProcedure('project:databases')
    .input(z.object({ destination: destinationInput }))
    .output(destinationView)
    .mutation(({ ctx, input }) =>
      createDestination(ctx.caller, projectScope(ctx.project), input.destination),
    ),
  removeDestination: projectProcedure('project:databases')
    .input(z.object({ name: destinationName }))
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteDestination(ctx.caller, projectScope(ctx.project), input.name)),
  /** Backups of the project's deleted databases: restorable into a new database. */
  deleted: projectProcedure('project:read')
    .input(historyPageInput)
    .output(z.array(backupView))
    .query(({ ctx, input }) => listBackups({ deletedIn: ctx.project.id }, input)),
  restoreDeleted: projectProcedure('project:restore')
    .input(z.object({ backup: z.string(), into: databaseName }))
    .output(restoreView)
    .mutation(({ ctx, input }) =>
      requestRestore(
        ctx.caller,
        projectScope(ctx.project),
        { deletedIn: ctx.project.id },
        {
          backupId: input.backup,
          mode: 'new_database',
          into: input.into,
        },
      ),
    ),
  /** Log lines of a restore of a deleted database's backup. */
  deletedRestoreLogs: projectProcedure('project:read')
    .input(z.object({ restore: z.string() }))
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const entry of followRestore({ deletedIn: ctx.project.id }, input.restore, signal)) {
        yield restoreLogEntry.parse(entry);
      }
    }),
  deletedRestores: projectProcedure('project:read')
    .input(historyPageInput)
    .output(z.array(restoreView))
    .query(({ ctx, input }) => listRestores({ deletedIn: ctx.project.id }, input)),
  /** Failed backups, restores and drills of the project, newest first. */
  notifications: projectProcedure('project:read')
    .output(z.array(notificationView))
    .query(({ ctx }) => listNotifications(ctx.project.id)),
});
