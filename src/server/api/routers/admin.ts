import { z } from 'zod';
import { diskUsage } from '@/server/domains/disk-hygiene/disk-usage.schema';
import { componentHealth } from '@/server/domains/platform/platform-health.schema';
import { checkPlatformHealth } from '@/server/domains/platform/platform-health.service';
import { listPlatformUsers } from '@/server/domains/platform/platform-users.service';
import { currentDiskUsage } from '@/server/platform/disk-usage';
import { platformHealthProbes } from '@/server/platform/health-probes';
import { createTRPCRouter, platformAdminProcedure } from '../trpc';

const platformUser = z.object({
  username: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  isPlatformAdmin: z.boolean(),
  teamCount: z.number(),
  projectCount: z.number(),
  createdAt: z.date(),
});

export const adminRouter = createTRPCRouter({
  users: platformAdminProcedure.output(z.array(platformUser)).query(() => listPlatformUsers()),
  health: platformAdminProcedure
    .output(z.array(componentHealth))
    .query(() => checkPlatformHealth(platformHealthProbes())),
  disk: platformAdminProcedure.output(diskUsage).query(() => currentDiskUsage()),
});
