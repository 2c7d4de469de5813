import { notifyJob } from '@/server/jobs/definitions/notify.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction, isUniqueViolation } from '@/server/transaction';
import type { NotificationKind } from '@/shared/notifications/notification-kinds';
import { notificationRepo } from './notification.repo';
import { notificationChannelRepo } from './notification-channel.repo';

export type { NotificationKind };

export type RaisedNotification = {
  kind: NotificationKind;
  projectId: string | null;
  title: string;
  details?: Record<string, unknown>;
  /** Raises the event once per key however often it is called (several workers seeing one change). */
  dedupeKey?: string;
};

/**
 * Records that something needs people's attention and, in the same transaction, queues a `notify` job
 * for every enabled channel subscribed to its kind: the project's channels and its team's; a platform
 * event (no project, e.g. disk.low) goes to every team channel subscribed to it. Null when `dedupeKey`
 * was raised before.
 */
export async function raiseNotification(event: RaisedNotification) {
  try {
    return await inTransaction(async (tx) => {
      const row = await notificationRepo.create(
        {
          kind: event.kind,
          projectId: event.projectId,
          title: event.title,
          details: event.details ?? {},
          ...(event.dedupeKey ? { dedupeKey: event.dedupeKey } : {}),
        },
        tx,
      );
      const ownerTeamId = event.projectId
        ? ((await notificationRepo.projectOwner(event.projectId, tx))?.ownerTeamId ?? null)
        : null;
      for (const channel of await notificationChannelRepo.subscribed(
        event.kind,
        event.projectId,
        ownerTeamId,
        tx,
      ))
        await enqueue(tx, notifyJob, { eventId: row.id, channelId: channel.id });
      return row;
    });
  } catch (error) {
    if (event.dedupeKey && isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Backups, restores and drills: what the Backups tab lists (other parts raise other kinds for the same project). */
export const BACKUP_NOTIFICATION_KINDS: readonly NotificationKind[] = [
  'backup.failed',
  'restore.failed',
  'drill.failed',
];

/** A project's (or, for null, the platform's) events of `kinds`, newest first. */
export function listNotifications(
  projectId: string | null,
  kinds: readonly NotificationKind[] = BACKUP_NOTIFICATION_KINDS,
  limit = 50,
) {
  return notificationRepo.listForProject(projectId, kinds, limit);
}
