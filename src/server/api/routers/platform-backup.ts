import { z } from 'zod';
import { listBackups, requestBackup } from '@/server/domains/backups/backup.service';
import type { BackupScope } from '@/server/domains/backups/backup-scope';
import {
  createDestination,
  deleteDestination,
  listDestinations,
} from '@/server/domains/backups/destination.service';
import { followRestore, listRestores, requestRestore } from '@/server/domains/backups/restore.service';
import { createSchedule, deleteSchedule, listSchedules } from '@/server/domains/backups/schedule.service';
import { listNotifications } from '@/server/domains/notifications/notification.service';
import {
  backupView,
  destinationInput,
  destinationName,
  destinationView,
  restoreView,
  scheduleInput,
  scheduleView,
} from '@/shared/backups/backup.schema';
import { createTRPCRouter, platformAdminProcedure } from '../trpc';
import { notificationView, restoreLogEntry } from './backup-views';

const PLATFORM: BackupScope = { kind: 'platform' };
const OWNER = { platform: true } as const;

/** Backups of Rise's own database: platform admins only. Restoring it in place is done offline. */
export const platformBackupRouter = createTRPCRouter({
  list: platformAdminProcedure.output(z.array(backupView)).query(() => listBackups(OWNER)),
  run: platformAdminProcedure
    .input(z.object({ destination: destinationName.optional(), encrypt: z.boolean().default(true) }))
    .output(backupView)
    .mutation(({ ctx, input }) => requestBackup(ctx.caller, PLATFORM, null, input)),
  drill: platformAdminProcedure
    .input(z.object({ backup: z.string() }))
    .output(restoreView)
    .mutation(({ ctx, input }) =>
      requestRestore(ctx.caller, PLATFORM, OWNER, { backupId: input.backup, mode: 'drill' }),
    ),
  restores: platformAdminProcedure.output(z.array(restoreView)).query(() => listRestores(OWNER)),
  restoreLogs: platformAdminProcedure.input(z.object({ restore: z.string() })).subscription(async function* ({
    input,
    signal,
  }) {
    for await (const entry of followRestore(OWNER, input.restore, signal)) yield restoreLogEntry.parse(entry);
  }),
  schedules: platformAdminProcedure.output(z.array(scheduleView)).query(() => listSchedules(null)),
  addSchedule: platformAdminProcedure
    .input(scheduleInput)
    .output(scheduleView)
    .mutation(({ ctx, input }) => createSchedule(ctx.caller, PLATFORM, null, input)),
  removeSchedule: platformAdminProcedure
    .input(z.object({ schedule: z.string() }))
    .output(z.object({ id: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteSchedule(ctx.caller, PLATFORM, null, input.schedule)),
  destinations: platformAdminProcedure
    .output(z.array(destinationView))
    .query(() => listDestinations(PLATFORM)),
  addDestination: platformAdminProcedure
    .input(z.object({ destination: destinationInput }))
    .output(destinationView)
    .mutation(({ ctx, input }) => createDestination(ctx.caller, PLATFORM, input.destination)),
  removeDestination: platformAdminProcedure
    .input(z.object({ name: destinationName }))
    .output(z.object({ name: z.string(), deleted: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteDestination(ctx.caller, PLATFORM, input.name)),
  notifications: platformAdminProcedure
    .output(z.array(notificationView))
    .query(() => listNotifications(null)),
});
