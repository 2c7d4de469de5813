import { z } from 'zod';
import { createVolume, deleteVolume, listVolumes } from '@/server/domains/volumes/volume.service';
import {
  listVolumeBackups,
  requestVolumeBackup,
  requestVolumeRestore,
  setVolumeBackupSchedule,
} from '@/server/domains/volumes/volume-backup.service';
import { cronExpression, destinationName } from '@/shared/backups/backup.schema';
import { createVolumeInput, volumeBackupView, volumeName, volumeView } from '@/shared/volumes/volume.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

export const volumeRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(volumeView))
    .query(({ ctx }) => listVolumes(ctx.project)),
  create: projectProcedure('project:update')
    .input(createVolumeInput)
    .output(z.array(volumeView))
    .mutation(({ ctx, input }) => createVolume(ctx.caller, ctx.project, input)),
  delete: projectProcedure('project:update')
    .input(z.object({ name: volumeName }))
    .output(z.array(volumeView))
    .mutation(({ ctx, input }) => deleteVolume(ctx.caller, ctx.project, input.name)),
  backups: projectProcedure('project:read')
    .input(z.object({ name: volumeName.optional() }))
    .output(z.array(volumeBackupView))
    .query(({ ctx, input }) => listVolumeBackups(ctx.project, input.name)),
  backup: projectProcedure('project:backup')
    .input(
      z.object({
        name: volumeName,
        destination: destinationName.optional(),
        encrypt: z.boolean().optional(),
      }),
    )
    .output(volumeBackupView)
    .mutation(({ ctx, input }) =>
      requestVolumeBackup(ctx.caller, ctx.project, {
        volume: input.name,
        destination: input.destination,
        encrypt: input.encrypt,
      }),
    ),
  /** A restore drill: into a scratch volume, compared file by file with the backup's manifest. */
  drill: projectProcedure('project:backup')
    .input(z.object({ backup: z.string().min(1).max(64) }))
    .output(volumeBackupView)
    .mutation(({ ctx, input }) =>
      requestVolumeRestore(ctx.caller, ctx.project, { backup: input.backup, drill: true }),
    ),
  restore: projectProcedure('project:restore')
    .input(z.object({ backup: z.string().min(1).max(64) }))
    .output(volumeBackupView)
    .mutation(({ ctx, input }) =>
      requestVolumeRestore(ctx.caller, ctx.project, { backup: input.backup, drill: false }),
    ),
  /** Scheduled backups of one volume (cron, UTC), keeping the last `keep`; `cron: null` stops them. */
  schedule: projectProcedure('project:backup')
    .input(
      z.object({
        name: volumeName,
        cron: cronExpression.nullable(),
        destination: destinationName.optional(),
        keep: z.number().int().min(1).max(1000).nullable().optional(),
        encrypt: z.boolean().optional(),
      }),
    )
    .output(volumeView)
    .mutation(({ ctx, input }) =>
      setVolumeBackupSchedule(ctx.caller, ctx.project, {
        volume: input.name,
        cron: input.cron,
        destination: input.destination,
        keep: input.keep,
        encrypt: input.encrypt,
      }),
    ),
});
