'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { RemovableRowContent } from '@/components/ui/removable-row-content';
import { TimeAgo } from '@/components/ui/time-ago';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { RegistryLoginView } from '@/shared/registry/registry-login.schema';
import { useTRPC } from '@/trpc/react';
import { RegistryLoginForm } from './registry-login-form';

/**
 * "Registry credentials" of the Settings tab: the project's logins to private image registries (host
 * and user; passwords never come back), and for `project:env` adding and removing them.
 */
export function RegistryLoginsPanel({ project }: { project: Pick<ProjectDetail, 'name' | 'role'> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.registryLogin.list.queryOptions({ project: project.name });
  const query = useQuery(listOptions);
  const logins = query.data ?? [];
  const canEdit = canOnProject(project.role, 'project:env');
  const remove = useMutation(trpc.registryLogin.remove.mutationOptions());
  const update = (next: RegistryLoginView[]) => queryClient.setQueryData(listOptions.queryKey, next);

  return (
    <Card title="Registry credentials" titleId="registry-credentials">
      <div className="flex flex-col gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Deployments of {project.name} pull images from private registries with these logins; no other
          project can use them. Rise&apos;s own registry needs none.
        </p>
        <ErrorAlert error={query.error} />
        {query.isSuccess && logins.length === 0 ? (
          <EmptyState
            title="No registry logins"
            command={`rise registry login <host> -p ${project.name} -u <user> --password-stdin`}
          >
            {canEdit
              ? 'Images from public registries need none. For a private one, add its login below or from your terminal:'
              : 'Developers of this project can add them, from the dashboard or the terminal:'}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {logins.map((login) => (
              <li
                key={login.host}
                data-testid={`registry-login-${login.host}`}
                className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
              >
                <RemovableRowContent
                  remove={
                    canEdit && {
                      item: login.host,
                      title: 'Remove registry login',
                      description: (
                        <>
                          Deployments of {project.name} will pull from{' '}
                          <span className="font-mono">{login.host}</span> without credentials; running
                          instances keep running.
                        </>
                      ),
                      onConfirm: async () =>
                        update(await remove.mutateAsync({ project: project.name, host: login.host })),
                    }
                  }
                >
                  <span className="font-mono font-medium break-all">{login.host}</span>
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">
                    user <span className="font-mono">{login.username}</span> · updated{' '}
                    <TimeAgo date={login.updatedAt} />
                  </span>
                </RemovableRowContent>
              </li>
            ))}
          </ul>
        )}
        {canEdit && <RegistryLoginForm project={project.name} logins={logins} onSaved={update} />}
      </div>
    </Card>
  );
}
