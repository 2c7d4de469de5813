'use client';

import type { z } from 'zod';
import { RoleBadge } from '@/components/team/role-badge';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { TimeAgo } from '@/components/ui/time-ago';
import type { serviceAccountView } from '@/server/domains/service-accounts/service-account.schema';
import { CiSnippetTabs } from './ci-snippet-tabs';
import { providerOf } from './ci-snippets';

export type ServiceAccount = z.infer<typeof serviceAccountView>;

const muted = 'text-xs text-zinc-600 dark:text-zinc-400';

/**
 * One service account: its issuer, the claims a token must carry, its role, when it was made, the CI
 * snippets that deploy as it and, given `onDelete`, a Delete button that asks first.
 */
export function ServiceAccountItem({
  account,
  project,
  riseUrl,
  issuerTrusted,
  onDelete,
}: {
  account: ServiceAccount;
  project: string;
  riseUrl: string;
  /** Whether RISE_TRUSTED_ISSUERS lists the account's issuer (Rise refuses the tokens of others). */
  issuerTrusted: boolean;
  onDelete?: () => Promise<unknown>;
}) {
  return (
    <li data-testid={`service-account-${account.name}`} className="flex flex-col gap-3 py-4">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex min-w-0 flex-col gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium break-all">{account.name}</span>
            <RoleBadge role={account.role} />
          </div>
          <span className={muted}>
            issuer <span className="font-mono break-all">{account.issuer}</span> · created{' '}
            <TimeAgo date={account.createdAt} />
          </span>
          {!issuerTrusted && (
            <span className="text-xs text-amber-800 dark:text-amber-200">
              This issuer is not in RISE_TRUSTED_ISSUERS: Rise refuses its tokens until an admin of this Rise
              adds it.
            </span>
          )}
        </div>
        {onDelete && (
          <div className="shrink-0">
            <ConfirmButton
              small
              variant="danger"
              label={
                <>
                  Delete<span className="sr-only"> {account.name}</span>
                </>
              }
              title="Delete service account"
              description={
                <>
                  CI jobs that deploy as <span className="font-mono">{account.name}</span> will be refused
                  from now on; deployments they made keep running.
                </>
              }
              confirmLabel="Delete"
              onConfirm={onDelete}
            />
          </div>
        )}
      </div>
      <div className="flex flex-col gap-1">
        <span className={muted}>A token must carry exactly:</span>
        <ul aria-label={`Claims of ${account.name}`} className="flex flex-wrap gap-1.5">
          {Object.entries(account.claims).map(([name, value]) => (
            <li
              key={name}
              className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs break-all dark:bg-zinc-800"
            >
              {name}={String(value)}
            </li>
          ))}
        </ul>
      </div>
      <CiSnippetTabs
        account={account.name}
        target={{ riseUrl, project, claims: account.claims }}
        initialProvider={providerOf(account.issuer)}
      />
    </li>
  );
}
