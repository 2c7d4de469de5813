import { z } from 'zod';

/**
 * Everything Rise can tell people about (issue 19). A channel subscribes to some of these; every part of
 * Rise raises them through `raiseNotification` (src/server/domains/notifications/notification.service.ts),
 * which records a NotificationEvent row that the notify pipeline delivers.
 */
export const NOTIFICATION_KINDS = [
  'deployment.started',
  'deployment.succeeded',
  'deployment.failed',
  'deployment.cancelled',
  'preview.created',
  'preview.expired',
  'app.crashed',
  'app.restarted',
  'app.crash-looping',
  'app.health-failing',
  'app.down',
  'app.up',
  'backup.failed',
  'restore.failed',
  'drill.failed',
  'certificate.failed',
  'disk.low',
] as const;

export const notificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKind>;
