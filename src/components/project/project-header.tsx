'use client';

import { useQuery } from '@tanstack/react-query';
import { StatusBadge } from '@/components/ui/status-badge';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';
import { ProjectActions } from './project-actions';

/** The project's name, live status (refreshed every 3 s), URL and facts, with Stop/Start. */
export function ProjectHeader({ initialProject }: { initialProject: ProjectDetail }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.project.get.queryOptions(
      { project: initialProject.name },
      { initialData: initialProject, refetchInterval: 3000 },
    ),
  );
  const project = query.data ?? initialProject;
  const facts: [string, string][] = [
    ['Visibility', project.visibility],
    ['Owner', project.owner],
    ['Runtime', project.runtime],
    ['Your role', project.role],
  ];
  if (project.desiredState === 'stopped') facts.push(['Desired state', 'stopped']);

  return (
    <header className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="flex min-w-0 flex-col gap-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold break-all">{project.name}</h1>
          <StatusBadge status={project.status} testId="project-status" />
        </div>
        <a
          href={project.url}
          target="_blank"
          rel="noreferrer"
          className="w-fit max-w-full truncate rounded text-sm text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300"
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
        {query.isError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            Could not refresh the project: {errorMessage(query.error)}
          </p>
        )}
      </div>
      <div className="flex shrink-0 flex-wrap gap-2">
        <ProjectActions project={project} />
      </div>
    </header>
  );
}
