'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';
import { NewServiceAccountForm } from './new-service-account-form';
import { type ServiceAccount, ServiceAccountItem } from './service-account-item';

const normalizeIssuer = (issuer: string) => issuer.replace(/\/+$/, '');

/**
 * The Service accounts tab: the identities CI jobs deploy as with their own OIDC tokens (no stored
 * secret), each with its CI snippet; `project:service-accounts` may create and delete them.
 */
export function ServiceAccountsPanel({
  project,
  initialAccounts,
  riseUrl,
  trustedIssuers,
}: {
  project: Pick<ProjectDetail, 'name' | 'role'>;
  initialAccounts: ServiceAccount[];
  riseUrl: string;
  trustedIssuers: string[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.serviceAccount.list.queryOptions(
    { project: project.name },
    { initialData: initialAccounts },
  );
  const query = useQuery(listOptions);
  const accounts = query.data ?? initialAccounts;
  const canEdit = canOnProject(project.role, 'project:service-accounts');
  const remove = useMutation(trpc.serviceAccount.delete.mutationOptions());
  const trusted = new Set(trustedIssuers.map(normalizeIssuer));
  const update = (change: (current: ServiceAccount[]) => ServiceAccount[]) =>
    queryClient.setQueryData(listOptions.queryKey, (current) => change(current ?? accounts));

  return (
    <Card title="Service accounts" titleId="service-accounts">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A CI job deploys {project.name} as a service account with the OIDC token its CI issues: Rise accepts
          a token from the account&apos;s issuer whose claims equal the account&apos;s, so no long-lived
          secret sits in CI.
        </p>
        <ErrorAlert error={query.error} />
        {accounts.length === 0 ? (
          <EmptyState
            title="No service accounts"
            command={`rise sa create ${project.name} --issuer <url> --claim aud=<audience> --claim repository=<owner/repo>`}
          >
            {canEdit
              ? 'Let a CI pipeline deploy without a stored token: add one below or from your terminal.'
              : 'Admins of this project can add one, from the dashboard or the terminal:'}
          </EmptyState>
        ) : (
          <ul aria-label="Service accounts" className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {accounts.map((account) => (
              <ServiceAccountItem
                key={account.id}
                account={account}
                project={project.name}
                riseUrl={riseUrl}
                issuerTrusted={trusted.has(normalizeIssuer(account.issuer))}
                onDelete={
                  canEdit
                    ? async () => {
                        await remove.mutateAsync({ project: project.name, name: account.name });
                        update((current) => current.filter((a) => a.id !== account.id));
                      }
                    : undefined
                }
              />
            ))}
          </ul>
        )}
        {canEdit && (
          <div className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
            <NewServiceAccountForm
              project={project.name}
              riseUrl={riseUrl}
              onCreated={(account) =>
                update((current) => [...current.filter((a) => a.id !== account.id), account])
              }
            />
          </div>
        )}
      </div>
    </Card>
  );
}
