import { raiseNotification } from '@/server/domains/notifications/notification.service';
import { diskHygieneRepo } from './disk-hygiene.repo';
import type { DiskLevel, DiskUsage } from './disk-usage.schema';

const RANK: Record<DiskLevel, number> = { ok: 0, warning: 1, critical: 2 };
const STATE_ID = 'data';

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/**
 * Raises `disk.low` once per crossing: when the data filesystem's level rises above the level the
 * previous check saw (ok → warning, ok/warning → critical). Falling back re-arms it. Returns whether
 * it raised.
 */
export async function checkDiskAlert(usage: DiskUsage): Promise<boolean> {
  const { filesystem } = usage;
  const previous = (await diskHygieneRepo.alertLevel(STATE_ID)) as DiskLevel;
  const current = filesystem.level;
  if (current !== previous) await diskHygieneRepo.setAlertLevel(STATE_ID, current);
  if (RANK[current] <= (RANK[previous] ?? 0)) return false;
  const threshold = current === 'critical' ? filesystem.criticalPercent : filesystem.warningPercent;
  await raiseNotification({
    kind: 'disk.low',
    projectId: null,
    title: `Disk ${current}: ${filesystem.usedPercent}% of ${filesystem.path} used (threshold ${threshold}%), ${gib(filesystem.freeBytes)} free`,
    details: {
      level: current,
      path: filesystem.path,
      usedPercent: filesystem.usedPercent,
      thresholdPercent: threshold,
      freeBytes: filesystem.freeBytes,
      totalBytes: filesystem.totalBytes,
    },
  });
  return true;
}
