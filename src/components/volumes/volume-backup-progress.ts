import type { VolumeBackupView } from '@/shared/volumes/volume.schema';

/** A drill or restore asked of a backup, and what its row said when asked (it changes when done). */
export type AskedAction = { action: 'drill' | 'restore'; before: number | null; at: number };

/** How long a drill or restore is waited for before the page stops saying it is under way. */
export const ACTION_WAIT_MS = 10 * 60_000;

const stamp = (date: Date | null | undefined) => date?.getTime() ?? null;

/** What a backup row says about `action` now: the time of its last drill or restore. */
export const actionStamp = (backup: VolumeBackupView, action: AskedAction['action']) =>
  action === 'drill' ? stamp(backup.drill?.at) : stamp(backup.restoredAt);

/**
 * Whether an asked drill or restore is still under way: its row shows no newer drill (restore) than
 * when it was asked, and it was asked less than ACTION_WAIT_MS ago (a failed restore leaves no trace
 * on the row: the job's error is in the worker's log).
 */
export function isUnderWay(asked: AskedAction, backup: VolumeBackupView, now = Date.now()): boolean {
  return actionStamp(backup, asked.action) === asked.before && now - asked.at < ACTION_WAIT_MS;
}

/** The last drill's result in a few words. */
export function drillText(drill: VolumeBackupView['drill']): string {
  if (!drill) return 'not drilled';
  if (drill.ok) return 'drill passed';
  if (drill.error) return `drill failed: ${drill.error}`;
  const differences = [...drill.missing, ...drill.extra, ...drill.changed];
  return `drill failed: ${differences.length} ${differences.length === 1 ? 'file differs' : 'files differ'}`;
}
