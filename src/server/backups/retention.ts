/** Pure retention rules for scheduled backups. */

export type BackupStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface RetainedBackup {
  id: string;
  scheduleId: string;
  createdAt: Date;
  status: BackupStatus | (string & {});
}

export interface RetentionPolicy {
  /** Keep at most this many of the newest backups (succeeded and failed count alike). */
  keepLast?: number;
  /** Delete backups older than this many days. */
  maxAgeDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Returns the ids of `scheduleId`'s backups that the policy says to delete, oldest first.
 * Only succeeded or failed backups are ever returned (running/pending ones are left alone), backups of
 * other schedules are ignored, and the newest succeeded backup is always kept. Ties on createdAt are
 * broken by id so the result does not depend on input order.
 */
export function backupsToDelete(
  scheduleId: string,
  backups: readonly RetainedBackup[],
  policy: RetentionPolicy,
  now: Date = new Date(),
): string[] {
  const { keepLast, maxAgeDays } = policy;
  if (keepLast !== undefined && (!Number.isInteger(keepLast) || keepLast < 0)) {
    throw new RangeError('keepLast must be a non-negative integer');
  }
  if (maxAgeDays !== undefined && (!Number.isFinite(maxAgeDays) || maxAgeDays < 0)) {
    throw new RangeError('maxAgeDays must be a non-negative number');
  }

  const finished = backups
    .filter((b) => b.scheduleId === scheduleId && (b.status === 'succeeded' || b.status === 'failed'))
    .sort(newestFirst);
  const newestSucceeded = finished.find((b) => b.status === 'succeeded');
  const cutoff = maxAgeDays === undefined ? undefined : now.getTime() - maxAgeDays * DAY_MS;

  const doomed = finished.filter((backup, index) => {
    if (backup === newestSucceeded) return false;
    const beyondCount = keepLast !== undefined && index >= keepLast;
    const tooOld = cutoff !== undefined && backup.createdAt.getTime() < cutoff;
    return beyondCount || tooOld;
  });
  return doomed.reverse().map((b) => b.id);
}

function newestFirst(a: RetainedBackup, b: RetainedBackup): number {
  const diff = b.createdAt.getTime() - a.createdAt.getTime();
  if (diff !== 0) return diff;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
