import { env } from '@/env';
import { dockerClient } from '@/server/docker/docker-client';
import { checkDiskAlert } from './disk-alert.service';
import { measureDiskUsage } from './disk-usage';
import type { DiskUsage } from './disk-usage.schema';

/** Disk use of this installation, with the thresholds from env (the Admin page's disk card). */
export function currentDiskUsage(): Promise<DiskUsage> {
  return measureDiskUsage({
    dataDir: env.RISE_DATA_DIR,
    docker: dockerClient(),
    thresholds: {
      warningPercent: env.RISE_DISK_WARNING_PERCENT,
      criticalPercent: env.RISE_DISK_CRITICAL_PERCENT,
    },
    registryHost: env.RISE_REGISTRY_HOST,
  });
}

/** The `disk-check` job: measures, and raises disk.low when a threshold was crossed since the last check. */
export async function runDiskCheck() {
  const usage = await currentDiskUsage();
  const raised = await checkDiskAlert(usage);
  return { usedPercent: usage.filesystem.usedPercent, level: usage.filesystem.level, raised };
}
