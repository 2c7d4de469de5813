import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { commitSubject, refName, shortSha, TRIGGER_DESCRIPTIONS } from './format';

/** What started a deployment (cli, git-push, pull-request, manual, rollback) as a small badge. */
export function TriggerBadge({ trigger }: { trigger: DeploymentView['trigger'] }) {
  return (
    <span
      title={TRIGGER_DESCRIPTIONS[trigger]}
      className="rounded-full border border-zinc-400 px-2 py-0.5 text-xs font-medium text-zinc-700 dark:border-zinc-500 dark:text-zinc-300"
    >
      {trigger}
    </span>
  );
}

/**
 * The commit a deployment was built from: short sha, subject, author and ref on one line (`full`: the
 * whole sha and message, for the deployment's own view).
 */
export function CommitSummary({
  commit,
  full = false,
}: {
  commit: NonNullable<DeploymentView['commit']>;
  full?: boolean;
}) {
  const subject = commit.message ? commitSubject(commit.message) : null;
  return (
    <p
      data-testid="commit"
      className="flex min-w-0 flex-wrap items-baseline gap-x-2 gap-y-0.5 text-xs text-zinc-700 dark:text-zinc-300"
    >
      <span className="font-mono" title={commit.sha}>
        {full ? commit.sha : shortSha(commit.sha)}
      </span>
      {subject && (
        <span className="max-w-full truncate font-medium" title={commit.message ?? undefined}>
          {subject}
        </span>
      )}
      {commit.author && <span className="text-zinc-600 dark:text-zinc-400">by {commit.author}</span>}
      {commit.ref && (
        <span className="text-zinc-600 dark:text-zinc-400">
          on <span className="font-mono">{refName(commit.ref)}</span>
        </span>
      )}
    </p>
  );
}
