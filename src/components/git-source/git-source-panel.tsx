'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { GitSourceView } from '@/shared/git/git-source.schema';
import { useTRPC } from '@/trpc/react';
import { DeployCommitDialog } from './deploy-commit-dialog';
import { AccessToken, CopyableValue, DeployKey, WebhookSecret } from './git-credentials';
import { GitSourceForm } from './git-source-form';
import { WebhookDeliveries } from './webhook-deliveries';

/**
 * The Source tab: the repository Rise builds from on push, deploying one of its branches or commits,
 * its webhook and the deliveries received, and its credentials.
 */
export function GitSourcePanel({
  project,
  initialSource,
}: {
  project: Pick<ProjectDetail, 'name' | 'role'>;
  initialSource: GitSourceView | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.gitSource.get.queryOptions({ project: project.name });
  const query = useQuery({ ...options, initialData: initialSource });
  const source = query.data ?? null;
  const canEdit = canOnProject(project.role, 'project:update');
  const canDeploy = canOnProject(project.role, 'project:deploy');
  const [createdSecret, setCreatedSecret] = useState<string | null>(null);
  const update = (next: GitSourceView | null) => queryClient.setQueryData(options.queryKey, next);
  const remove = useMutation(trpc.gitSource.remove.mutationOptions());

  return (
    <div className="flex flex-col gap-6">
      <Card
        title="Repository"
        titleId="git-repository"
        actions={
          source && canDeploy ? (
            <DeployCommitDialog project={project.name} branch={source.branch} />
          ) : undefined
        }
      >
        <ErrorAlert error={query.error} />
        {canEdit ? (
          <GitSourceForm
            project={project.name}
            source={source}
            onSaved={update}
            onCreated={setCreatedSecret}
          />
        ) : source ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt>Repository</dt>
            <dd className="font-mono break-all">{source.repositoryUrl}</dd>
            <dt>Branch</dt>
            <dd className="font-mono">{source.branch}</dd>
            <dt>Root directory</dt>
            <dd className="font-mono">{source.rootDirectory}</dd>
          </dl>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No repository connected. Admins of this project can connect one.
          </p>
        )}
      </Card>
      {source && (
        <Card title="Webhook" titleId="git-webhook">
          <div className="flex flex-col gap-3">
            {source.webhookUrl ? (
              <CopyableValue label="webhook URL" value={source.webhookUrl} />
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Choose the forge to get the webhook URL.
              </p>
            )}
            {canEdit && (
              <WebhookSecret key={createdSecret ?? 'hidden'} project={project.name} initial={createdSecret} />
            )}
          </div>
        </Card>
      )}
      {source && <WebhookDeliveries project={project.name} canRedeliver={canDeploy} />}
      {source && canEdit && (
        <Card title="Credentials" titleId="git-credentials">
          <div className="flex flex-col gap-6">
            <DeployKey project={project.name} source={source} onSaved={update} />
            <AccessToken project={project.name} source={source} onSaved={update} />
            <div>
              <ConfirmButton
                label="Disconnect repository"
                title="Disconnect the repository?"
                description="Pushes stop deploying, and the deploy key, access token and webhook secret are deleted."
                confirmLabel="Disconnect"
                variant="danger"
                onConfirm={async () => {
                  await remove.mutateAsync({ project: project.name });
                  setCreatedSecret(null);
                  update(null);
                }}
              />
            </div>
          </div>
        </Card>
      )}
    </div>
  );
}
