'use client';

import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useState } from 'react';
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
import { PreviewsBadge } from './previews-badge';
import { PROJECT_PAGE_SIZE } from './project-list-page';
import { useProjectChanges } from './use-project-changes';

const STATUSES = ['running', 'deploying', 'stopped', 'failed'] as const;

const SEARCH_DELAY_MS = 250;

/**
 * Replaces the summaries of changed projects in the loaded pages. `complete` is false when one of
 * them belongs among the loaded ones but is not there yet (a new project): then the list reloads.
 */
function patchPages(pages: ProjectSummary[][], changed: ProjectSummary[], shows: (name: string) => boolean) {
  const byName = new Map(changed.map((project) => [project.name, project]));
  const loaded = new Set(pages.flat().map((project) => project.name));
  return {
    pages: pages.map((page) => page.map((project) => byName.get(project.name) ?? project)),
    complete: changed.every((project) => loaded.has(project.name) || !shows(project.name)),
  };
}

/**
 * The user's projects, 50 at a time with "Load more", searched by name on the server and filtered by
 * status; statuses change live (pushed over SSE), nothing is polled.
 */
export function ProjectList({ initialProjects }: { initialProjects: ProjectSummary[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [needle, setNeedle] = useState('');
  const [status, setStatus] = useState('');
  const searchId = useId();
  const statusId = useId();

  useEffect(() => {
    const timer = setTimeout(() => setNeedle(search.trim().toLowerCase()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const input = needle ? { limit: PROJECT_PAGE_SIZE, search: needle } : { limit: PROJECT_PAGE_SIZE };
  const query = useInfiniteQuery(
    trpc.project.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => (page.length === PROJECT_PAGE_SIZE ? page.at(-1)?.name : undefined),
      initialData: needle ? undefined : { pages: [initialProjects], pageParams: [null] },
      placeholderData: keepPreviousData,
    }),
  );
  const listKey = trpc.project.list.infiniteQueryKey(input);

  useProjectChanges({}, (change) => {
    if (change.type === 'changed') {
      const data = queryClient.getQueryData(listKey);
      const lastLoaded = data?.pages.flat().at(-1)?.name;
      // Would this name be among the loaded pages (name order, the current search)?
      const shows = (name: string) =>
        (!query.hasNextPage || (lastLoaded !== undefined && name <= lastLoaded)) &&
        (!needle || name.includes(needle));
      const patched = data && patchPages(data.pages, change.projects, shows);
      if (data && patched) queryClient.setQueryData(listKey, { ...data, pages: patched.pages });
      if (patched?.complete) return;
    }
    void queryClient.invalidateQueries({ queryKey: trpc.project.list.pathKey() });
  });

  const projects = query.data?.pages.flat() ?? initialProjects;

  if (projects.length === 0 && !needle && !search) {
    return (
      <Card>
        <EmptyState title="No projects yet" command="rise project create my-app">
          Create one with <strong>New project</strong>, or from your terminal (short form{' '}
          <code className="font-mono">rise p c my-app</code>):
        </EmptyState>
      </Card>
    );
  }

  const shown = projects.filter((project) => !status || project.status === status);
  const more = query.hasNextPage ? ' loaded so far' : '';

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
      <ErrorAlert error={query.error} prefix="Could not load the projects" className="mb-3" />
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
          caption={`Projects (${shown.length} of ${projects.length}${more})`}
          minWidth="min-w-[44rem]"
          columns={['Project', 'Status', 'URL', 'Last deployment', 'Visibility', 'Owner']}
        >
          {shown.map((project) => (
            <tr key={project.name} className={rowClass}>
              <td className={`${cellClass} font-medium`}>
                <span className="flex flex-wrap items-center gap-2">
                  <Link href={`/projects/${project.name}`} className={linkClass}>
                    {project.name}
                  </Link>
                  <PreviewsBadge project={project.name} count={project.previews} />
                </span>
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
      {query.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </Button>
        </div>
      )}
    </Card>
  );
}
