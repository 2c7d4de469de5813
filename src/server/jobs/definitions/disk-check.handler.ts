import { checkDiskAlert } from '@/server/domains/disk-hygiene/disk-alert.service';
import { currentDiskUsage } from '@/server/platform/disk-usage';

/** The `disk-check` job: measures, and raises disk.low when a threshold was crossed since the last check. */
export async function runDiskCheck() {
  const usage = await currentDiskUsage();
  const raised = await checkDiskAlert(usage);
  return { usedPercent: usage.filesystem.usedPercent, level: usage.filesystem.level, raised };
}
