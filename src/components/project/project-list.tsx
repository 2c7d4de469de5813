'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { StatusBadge } from '@/components/ui/status-badge';
import { TimeAgo } from '@/components/ui/time-ago';
import type { ProjectSummary } from '@/server/domains/projects/project.schema';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';

const STATUSES = ['running', 'deploying', 'stopped', 'failed'] as const;

const linkClass =
  'rounded text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300';

/** The user's projects, refreshed every 3 s, with a search by name and a status filter. */
export function ProjectList({ initialProjects }: { initialProjects: ProjectSummary[] }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.project.list.queryOptions(undefined, { initialData: initialProjects, refetchInterval: 3000 }),
  );
  const projects = query.data ?? initialProjects;
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const searchId = useId();
  const statusId = useId();

  if (projects.length === 0) {
    return (
      <Card>
        <EmptyState title="No projects yet" command="rise project create my-app">
          Create one with <strong>New project</strong>, or from your terminal (short form{' '}
          <code className="font-mono">rise p c my-app</code>):
        </EmptyState>
      </Card>
    );
  }

  const needle = search.trim().toLowerCase();
  const shown = projects.filter(
    (project) => (!needle || project.name.includes(needle)) && (!status || project.status === status),
  );

  return (
    <Card>
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex flex-1 flex-col gap-1 text-sm">
          <label htmlFor={searchId} className="font-medium">
            Search projects
          </label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Filter by name"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} h-10`}
          />
        </div>
        <div className="flex flex-col gap-1 text-sm sm:w-48">
          <label htmlFor={statusId} className="font-medium">
            Status
          </label>
          <select
            id={statusId}
            value={status}
            onChange={(event) => setStatus(event.target.value)}
            className={`${inputClass} h-10`}
          >
            <option value="">All statuses</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      </div>
      {query.isError && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
          Could not refresh the projects: {errorMessage(query.error)}
        </p>
      )}
      {shown.length === 0 ? (
        <EmptyState title="No projects match">
          <Button
            small
            onClick={() => {
              setSearch('');
              setStatus('');
            }}
          >
            Clear filters
          </Button>
        </EmptyState>
      ) : (
        <div className="relative -mx-4 overflow-x-auto px-4 sm:-mx-6 sm:px-6">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <caption className="sr-only">
              Projects ({shown.length} of {projects.length})
            </caption>
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Project
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Status
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  URL
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Last deployment
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Visibility
                </th>
                <th scope="col" className="py-2 font-medium">
                  Owner
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((project) => (
                <tr key={project.name} className="border-t border-zinc-100 align-top dark:border-zinc-800">
                  <td className="py-2.5 pr-4 font-medium">
                    <Link href={`/projects/${project.name}`} className={linkClass}>
                      {project.name}
                    </Link>
                  </td>
                  <td className="py-2.5 pr-4">
                    <StatusBadge status={project.status} testId={`project-status-${project.name}`} />
                  </td>
                  <td className="max-w-64 truncate py-2.5 pr-4">
                    <a href={project.url} target="_blank" rel="noreferrer" className={linkClass}>
                      {project.url}
                    </a>
                  </td>
                  <td className="py-2.5 pr-4 whitespace-nowrap">
                    {project.lastDeployment ? (
                      <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                        <span className="font-mono text-xs">{project.lastDeployment.id}</span>
                        <StatusBadge status={project.lastDeployment.status} />
                        <span className="text-xs text-zinc-500 dark:text-zinc-400">
                          <TimeAgo date={project.lastDeployment.createdAt} />
                        </span>
                      </span>
                    ) : (
                      <span className="text-zinc-500 dark:text-zinc-400">never deployed</span>
                    )}
                  </td>
                  <td className="py-2.5 pr-4">{project.visibility}</td>
                  <td className="py-2.5 whitespace-nowrap">{project.owner}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
