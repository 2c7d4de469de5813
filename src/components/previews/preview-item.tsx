'use client';

import { ExpiryCountdown } from '@/components/deployment/expiry-countdown';
import { linkClass } from '@/components/ui/link-class';
import { StatusBadge } from '@/components/ui/status-badge';
import { TimeAgo } from '@/components/ui/time-ago';
import type { DeploymentGroupView } from '@/server/domains/deployments/deployment.schema';
import { ExtendPreviewDialog } from './extend-preview-dialog';
import { StopPreviewButton } from './stop-preview-button';

const muted = 'text-xs text-zinc-600 dark:text-zinc-400';

/**
 * One preview group: its name, URL, status, the countdown to its expiry, who deployed it and, given
 * `onStop` (roles with project:deploy), Extend and Stop. `stopping`: a stop was asked for and the
 * worker has not removed it yet.
 */
export function PreviewItem({
  project,
  preview,
  stopping,
  onStop,
}: {
  project: string;
  preview: DeploymentGroupView;
  stopping: boolean;
  onStop?: () => Promise<unknown>;
}) {
  return (
    <li
      data-testid={`preview-${preview.group}`}
      className="flex flex-col gap-3 py-3 sm:flex-row sm:items-start sm:justify-between"
    >
      <div className="flex min-w-0 flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm font-medium break-all">{preview.group}</span>
          <StatusBadge
            status={stopping ? 'stopping' : preview.status}
            testId={`preview-status-${preview.group}`}
          />
        </div>
        <a
          href={preview.url}
          target="_blank"
          rel="noreferrer"
          className={`${linkClass} w-fit max-w-full truncate text-sm`}
        >
          {preview.url}
        </a>
        <p className={`flex flex-wrap gap-x-3 gap-y-0.5 ${muted}`}>
          {preview.expiresAt ? (
            <ExpiryCountdown expiresAt={preview.expiresAt} testId={`preview-expiry-${preview.group}`} />
          ) : (
            <span data-testid={`preview-expiry-${preview.group}`}>never expires</span>
          )}
          <span>by {preview.createdBy ?? 'unknown'}</span>
          <span>
            created <TimeAgo date={preview.createdAt} />
          </span>
          {preview.activeDeployment && (
            <span>
              deployment <span className="font-mono">{preview.activeDeployment}</span>
            </span>
          )}
        </p>
      </div>
      {onStop && !stopping && (
        <div className="flex shrink-0 flex-wrap gap-2">
          {preview.activeDeployment && <ExtendPreviewDialog project={project} group={preview.group} />}
          <StopPreviewButton project={project} group={preview.group} onStop={onStop} />
        </div>
      )}
    </li>
  );
}
