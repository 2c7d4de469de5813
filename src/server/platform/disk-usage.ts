import { env } from '@/env';
import { dockerDiskUsage } from '@/server/docker/disk-engine';
import { dockerClient } from '@/server/docker/docker-client';
import { measureDiskUsage } from '@/server/domains/disk-hygiene/disk-usage';
import type { DiskUsage } from '@/server/domains/disk-hygiene/disk-usage.schema';

/** Disk use of this installation, with the thresholds from env (the Admin page's disk card, disk-check). */
export function currentDiskUsage(): Promise<DiskUsage> {
  return measureDiskUsage({
    dataDir: env.RISE_DATA_DIR,
    engineDiskUsage: dockerDiskUsage(dockerClient()),
    thresholds: {
      warningPercent: env.RISE_DISK_WARNING_PERCENT,
      criticalPercent: env.RISE_DISK_CRITICAL_PERCENT,
    },
    registryHost: env.RISE_REGISTRY_HOST,
  });
}
