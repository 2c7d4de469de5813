'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import { StatusBadge } from '@/components/ui/status-badge';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';
import { type DeployedState, ProjectActions } from './project-actions';
import { useProjectChanges } from './use-project-changes';

/** The newest deployments, enough to tell whether the project ever ran and has an active one. */
const DEPLOYMENTS_SHOWN = 50;

/**
 * The project's name, live status, URL and facts, with its actions (Deploy, Redeploy, Restart,
 * Stop/Start). A project that never ran says "not deployed", not "stopped". Live: a status change
 * pushed over SSE reloads the project, its deployments and previews (on every page of the project).
 */
export function ProjectHeader({ initialProject }: { initialProject: ProjectDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(
    trpc.project.get.queryOptions({ project: initialProject.name }, { initialData: initialProject }),
  );
  // Platform admins may open any project's page, so they hear about any project (`all`).
  useProjectChanges({ project: initialProject.name, all: true }, () => {
    void queryClient.invalidateQueries({
      queryKey: trpc.project.get.queryKey({ project: initialProject.name }),
    });
    void queryClient.invalidateQueries({ queryKey: trpc.deployment.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.deployment.groups.pathKey() });
  });
  const project = query.data ?? initialProject;
  const deployments = useQuery(
    trpc.deployment.list.queryOptions({ project: initialProject.name, limit: DEPLOYMENTS_SHOWN }),
  );
  const deployed: DeployedState | null = deployments.data
    ? {
        // Beyond the newest 50 there may be one that ran; so many deployments mean it was deployed.
        everRan:
          deployments.data.length >= DEPLOYMENTS_SHOWN || deployments.data.some((d) => d.healthyAt !== null),
        hasActive: deployments.data.some((d) => d.active),
      }
    : null;
  const status =
    deployed?.everRan === false && project.status === 'stopped' ? 'not deployed' : project.status;
  const facts: [string, string][] = [
    ['Visibility', project.visibility],
    ['Owner', project.owner],
    ['Runtime', project.runtime],
    ['Your role', project.role],
  ];
  if (project.desiredState === 'stopped') facts.push(['Desired state', 'stopped']);
  if (project.previews > 0) facts.push(['Live previews', String(project.previews)]);

  return (
    <header className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="flex min-w-0 flex-col gap-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold break-all">{project.name}</h1>
          <StatusBadge status={status} testId="project-status" />
        </div>
        <a
          href={project.url}
          target="_blank"
          rel="noreferrer"
          className={`${linkClass} w-fit max-w-full truncate text-sm`}
        >
          {project.url}
        </a>
        <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
          {facts.map(([label, value]) => (
            <div key={label} className="flex gap-1.5">
              <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
        <ErrorAlert error={query.error} prefix="Could not refresh the project" />
      </div>
      <div className="flex shrink-0 flex-wrap gap-2" data-testid="project-actions">
        <ProjectActions project={project} deployed={deployed} />
      </div>
    </header>
  );
}
