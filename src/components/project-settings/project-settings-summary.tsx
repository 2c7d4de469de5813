import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { runtimeLabel } from '@/shared/runtimes';

/** The settings as text, for roles that may read but not change them. */
export function ProjectSettingsSummary({ project }: { project: ProjectDetail }) {
  const rows: [string, string][] = [
    ['Visibility', project.visibility === 'private' ? 'private (visitors sign in to Rise)' : 'public'],
    ['Owner', project.owner],
    ['Runs on', runtimeLabel(project.runtime)],
    ['Port', String(project.port)],
    ['Health check path', project.healthPath],
    ['Replicas', String(project.replicas)],
    ['CPU limit', project.cpuLimit === null ? 'no limit' : `${project.cpuLimit} cores`],
    ['Memory limit', project.memoryLimitMb === null ? 'no limit' : `${project.memoryLimitMb} MB`],
    ['Build backend', project.buildBackend],
  ];
  return (
    <div className="flex flex-col gap-3">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-zinc-600 dark:text-zinc-400">{term}</dt>
            <dd className="-mt-2 font-mono break-all sm:mt-0">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Only admins and owners of the project can change its settings.
      </p>
    </div>
  );
}
