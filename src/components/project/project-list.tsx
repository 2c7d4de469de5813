'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import { StatusBadge } from '@/components/ui/status-badge';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { ProjectSummary } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';

const STATUSES = ['running', 'deploying', 'stopped', 'failed'] as const;

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
      <ErrorAlert error={query.error} prefix="Could not refresh the projects" className="mb-3" />
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
        <DataTable
          caption={`Projects (${shown.length} of ${projects.length})`}
          minWidth="min-w-[44rem]"
          columns={['Project', 'Status', 'URL', 'Last deployment', 'Visibility', 'Owner']}
        >
          {shown.map((project) => (
            <tr key={project.name} className={rowClass}>
              <td className={`${cellClass} font-medium`}>
                <Link href={`/projects/${project.name}`} className={linkClass}>
                  {project.name}
                </Link>
              </td>
              <td className={cellClass}>
                <StatusBadge
                  status={
                    project.status === 'stopped' && !project.lastDeployment ? 'not deployed' : project.status
                  }
                  testId={`project-status-${project.name}`}
                />
              </td>
              <td className={`${cellClass} max-w-64 truncate`}>
                <a href={project.url} target="_blank" rel="noreferrer" className={linkClass}>
                  {project.url}
                </a>
              </td>
              <td className={`${cellClass} whitespace-nowrap`}>
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
              <td className={cellClass}>{project.visibility}</td>
              <td className={`${cellClass} whitespace-nowrap`}>{project.owner}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
