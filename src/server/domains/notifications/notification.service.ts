import type { NotificationKind } from '@/shared/notifications/notification-kinds';
import { notificationRepo } from './notification.repo';

export type { NotificationKind };

/**
 * Records that something needs people's attention. Channels (email, Slack, webhooks) deliver these
 * later and set deliveredAt; until then they are listed in the dashboard and by the API.
 */
export function raiseNotification(event: {
  kind: NotificationKind;
  projectId: string | null;
  title: string;
  details?: Record<string, unknown>;
}) {
  return notificationRepo.create({
    kind: event.kind,
    projectId: event.projectId,
    title: event.title,
    details: event.details ?? {},
  });
}

export function listNotifications(projectId: string | null, limit = 50) {
  return notificationRepo.listForProject(projectId, limit);
}
