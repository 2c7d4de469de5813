import { z } from 'zod';
import { createVolume, deleteVolume, listVolumes } from '@/server/domains/volumes/volume.service';
import { createVolumeInput, volumeName, volumeView } from '@/shared/volumes/volume.schema';
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
});
