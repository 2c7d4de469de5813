import { listen } from '@/server/db-notify';
import {
  DEPLOYMENT_EVENT_CHANNEL,
  raiseDeploymentNotification,
} from '@/server/domains/notifications/deployment-notifications';

/**
 * Runs in a worker serving `notify`: each deployment status change (a NOTIFY from the deployments
 * trigger) raises its notification. Events are deduplicated, so several workers may listen.
 */
export function startDeploymentNotificationListener(log: (line: string) => void): Promise<() => void> {
  return listen(DEPLOYMENT_EVENT_CHANNEL, (payload) => {
    if (payload === null) return;
    raiseDeploymentNotification(payload).catch((error: unknown) =>
      log(
        `notify: could not raise a deployment notification: ${error instanceof Error ? error.message : error}`,
      ),
    );
  });
}
