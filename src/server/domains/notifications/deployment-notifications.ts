import type { NotificationKind } from '@/shared/notifications/notification-kinds';
import { notificationRepo } from './notification.repo';
import { raiseNotification } from './notification.service';

/** Written by the trigger of migration *_notification_channels: `<deployment id>:<status>`. */
export const DEPLOYMENT_EVENT_CHANNEL = 'rise_deployment_event';

/**
 * The event a deployment status announces: building or deploying → started (whichever comes first),
 * healthy → succeeded (preview.created in a group other than `default`), failed, cancelled, and
 * expired → preview.expired.
 */
export function deploymentEventKind(status: string, group: string): NotificationKind | null {
  const preview = group !== 'default';
  switch (status) {
    case 'building':
    case 'deploying':
      return 'deployment.started';
    case 'healthy':
      return preview ? 'preview.created' : 'deployment.succeeded';
    case 'failed':
      return 'deployment.failed';
    case 'cancelled':
      return 'deployment.cancelled';
    case 'expired':
      return 'preview.expired';
    default:
      return null;
  }
}

const VERB: Record<string, string> = {
  'deployment.started': 'started',
  'deployment.succeeded': 'is live',
  'deployment.failed': 'failed',
  'deployment.cancelled': 'was cancelled',
  'preview.created': 'is live as a preview',
  'preview.expired': 'expired',
};

/**
 * Raises the notification of a deployment's status change (from the NOTIFY payload), once per
 * deployment and kind however many workers listen; a deployment that moved on since is read as it is now.
 */
export async function raiseDeploymentNotification(payload: string) {
  const at = payload.lastIndexOf(':');
  if (at <= 0) return null;
  const deploymentId = payload.slice(0, at);
  const status = payload.slice(at + 1);
  const deployment = await notificationRepo.deployment(deploymentId);
  if (!deployment) return null;
  const kind = deploymentEventKind(status, deployment.group);
  if (!kind) return null;
  // A healthy deployment may turn unhealthy and healthy again: only its first time counts.
  return raiseNotification({
    kind,
    projectId: deployment.project.id,
    title: `${deployment.project.name}: deployment ${deployment.id}${deployment.group === 'default' ? '' : ` (${deployment.group})`} ${VERB[kind]}`,
    details: {
      deployment: deployment.id,
      group: deployment.group,
      ...(deployment.image ? { image: deployment.image } : {}),
      ...(deployment.commitSha ? { commit: deployment.commitSha.slice(0, 12) } : {}),
      ...(kind === 'deployment.failed' && deployment.error ? { error: deployment.error.slice(0, 500) } : {}),
    },
    dedupeKey: `deployment:${deployment.id}:${kind}`,
  });
}
