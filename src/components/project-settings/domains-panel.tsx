'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { DomainView } from '@/shared/custom-domains/domain.schema';
import { useTRPC } from '@/trpc/react';
import { AddDomainForm } from './add-domain-form';
import { DomainList } from './domain-list';
import { defaultHost, useProject } from './use-project';

/** The Domains tab: the default URL, the custom domains and, for `project:domains`, adding one. */
export function DomainsPanel({
  project: initialProject,
  initialDomains,
}: {
  project: ProjectDetail;
  initialDomains: DomainView[];
}) {
  const project = useProject(initialProject);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.domain.list.queryOptions(
    { project: project.name },
    { initialData: initialDomains },
  );
  const query = useQuery(listOptions);
  const domains = query.data ?? initialDomains;
  const canEdit = canOnProject(project.role, 'project:domains');
  const host = defaultHost(project);
  const remove = useMutation(trpc.domain.remove.mutationOptions());
  const update = (next: DomainView[]) => queryClient.setQueryData(listOptions.queryKey, next);
  const [verifyError, setVerifyError] = useState<{ hostname: string; error: unknown } | null>(null);
  const verify = useMutation(
    trpc.domain.verify.mutationOptions({
      onMutate: () => setVerifyError(null),
      onSuccess: (checked) =>
        update(domains.map((domain) => (domain.hostname === checked.hostname ? checked : domain))),
      onError: (error, input) => setVerifyError({ hostname: input.hostname, error }),
    }),
  );

  return (
    <>
      <Card title="Default URL">
        <p className="text-sm">
          <a
            href={project.url}
            target="_blank"
            rel="noreferrer"
            className={`${linkClass} font-mono break-all`}
          >
            {project.url}
          </a>
        </p>
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          Every project gets this address; it cannot be removed.
          {project.visibility === 'private' && ' The app is private: visitors sign in to Rise first.'}
        </p>
      </Card>
      <Card title="Custom domains">
        <ErrorAlert error={query.error} className="mb-3" />
        {domains.length === 0 ? (
          <EmptyState
            title="No custom domains"
            command={`rise domain add www.example.com --project ${project.name}`}
          >
            {canEdit
              ? 'Serve the app on your own domain: add it below or from your terminal.'
              : 'Admins of this project can add one, from the dashboard or the terminal:'}
          </EmptyState>
        ) : (
          <DomainList
            project={project.name}
            domains={domains}
            port={host.port}
            canEdit={canEdit}
            onRemove={async (hostname) =>
              update(await remove.mutateAsync({ project: project.name, hostname }))
            }
            onVerify={(hostname) => verify.mutate({ project: project.name, hostname })}
            verifying={verify.isPending ? (verify.variables?.hostname ?? null) : null}
            verifyError={verifyError}
          />
        )}
      </Card>
      {canEdit && (
        <Card title="Add a custom domain">
          <AddDomainForm
            project={project.name}
            target={host.hostname}
            baseDomain={host.baseDomain}
            onAdded={(next) => update(next)}
          />
        </Card>
      )}
    </>
  );
}
