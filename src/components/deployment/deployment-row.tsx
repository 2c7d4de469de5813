'use client';

import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { StatusBadge } from '@/components/ui/status-badge';
import { TimeAgo } from '@/components/ui/time-ago';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { CrashBadge } from './crash-badge';
import { CommitSummary, TriggerBadge } from './deployment-source';
import { ExpiryCountdown } from './expiry-countdown';
import {
  canExpire,
  deploymentDuration,
  formatDuration,
  imageName,
  isInProgress,
  shortDigest,
} from './format';
import { GroupBadge } from './group-badge';

const terminationReasons: Record<string, string> = { user_stopped: 'stopped by a user' };

/**
 * One deployment in the timeline: id, status, what started it, its group when not default (a
 * preview), who and when, when it expires, the commit it was built from, image and digest, how long it took, why it failed, and the actions the caller's role allows (passed in as handlers; absent handler, no button).
 */
export function DeploymentRow({
  deployment,
  selected,
  onSelect,
  onRollback,
  onCancel,
  cancelling,
}: {
  deployment: DeploymentView;
  selected: boolean;
  onSelect: () => void;
  onRollback?: () => Promise<unknown>;
  onCancel?: () => void;
  cancelling?: boolean;
}) {
  const duration = deploymentDuration(deployment);
  const inProgress = isInProgress(deployment.status);
  return (
    <li
      data-testid={`deployment-${deployment.id}`}
      className={`flex flex-col gap-3 border-l-4 py-3 pr-1 pl-3 sm:flex-row sm:items-start sm:justify-between ${
        selected ? 'border-indigo-500 bg-indigo-50/60 dark:bg-indigo-950/30' : 'border-transparent'
      }`}
    >
      <div className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm font-medium">{deployment.id}</span>
          <StatusBadge status={deployment.status} />
          <TriggerBadge trigger={deployment.trigger} />
          {deployment.active && (
            <span className="rounded-full border border-emerald-600 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:border-emerald-400 dark:text-emerald-300">
              active
            </span>
          )}
          {deployment.group !== DEFAULT_GROUP && <GroupBadge group={deployment.group} url={deployment.url} />}
          <CrashBadge id={deployment.id} crashes={deployment.crashes} />
          {deployment.rolledBackFrom && (
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              rolled back from <span className="font-mono">{deployment.rolledBackFrom}</span>
            </span>
          )}
        </div>
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          <span>by {deployment.createdBy ?? 'unknown'}</span>
          <TimeAgo date={deployment.createdAt} />
          {canExpire(deployment) && (
            <ExpiryCountdown expiresAt={deployment.expiresAt} testId={`expires-${deployment.id}`} />
          )}
          {duration !== null ? (
            <span title={deployment.healthyAt ? 'Time until healthy' : 'Time until it finished'}>
              took {formatDuration(duration)}
            </span>
          ) : (
            inProgress && <span>in progress</span>
          )}
        </p>
        {deployment.commit && <CommitSummary commit={deployment.commit} />}
        {deployment.image && (
          <p className="flex min-w-0 flex-wrap gap-x-2 font-mono text-xs text-zinc-700 dark:text-zinc-300">
            <span className="max-w-full truncate" title={deployment.image}>
              {imageName(deployment.image)}
            </span>
            {deployment.imageDigest && (
              <span className="text-zinc-500 dark:text-zinc-400" title={deployment.imageDigest}>
                {shortDigest(deployment.imageDigest)}
              </span>
            )}
          </p>
        )}
        {deployment.error && (
          <p className="text-xs wrap-anywhere whitespace-pre-wrap text-red-700 dark:text-red-300">
            {deployment.error}
          </p>
        )}
        {deployment.terminationReason &&
          deployment.terminationReason !== deployment.status &&
          !deployment.error && (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              {terminationReasons[deployment.terminationReason] ??
                deployment.terminationReason.replace(/_/g, ' ')}
            </p>
          )}
      </div>
      <div className="flex shrink-0 flex-wrap gap-2">
        <Button small onClick={onSelect} aria-pressed={selected}>
          Show logs for {deployment.id}
        </Button>
        {onRollback && (
          <ConfirmButton
            small
            label={`Roll back to ${deployment.id}`}
            title="Roll back"
            confirmLabel="Roll back"
            description={
              <>
                Deploy <span className="font-mono">{deployment.id}</span>
                {deployment.imageDigest && (
                  <>
                    {' '}
                    (<span className="font-mono">{shortDigest(deployment.imageDigest)}</span>)
                  </>
                )}{' '}
                again as a new deployment of the same image
                {deployment.group !== DEFAULT_GROUP && (
                  <>
                    {' '}
                    in group <span className="font-mono">{deployment.group}</span>
                  </>
                )}
                . Nothing is rebuilt.
              </>
            }
            onConfirm={onRollback}
          />
        )}
        {onCancel && (
          <Button
            small
            variant="danger"
            onClick={onCancel}
            disabled={cancelling}
            aria-label={`Cancel ${deployment.id}`}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </Button>
        )}
      </div>
    </li>
  );
}
