import Link from 'next/link';
import { JobStatusBadge } from '@/components/backups/job-status-badge';
import { ErrorAlert } from '@/components/ui/error-alert';
import { linkClass } from '@/components/ui/link-class';
import type { DatabaseView } from '@/shared/databases/database.schema';

/** The database's name, engine and status, under a link back to the project's databases. */
export function DatabaseTitle({
  project,
  database,
  error,
}: {
  project: string;
  database: DatabaseView;
  error: unknown;
}) {
  return (
    <div className="flex flex-col gap-1">
      <Link href={`/projects/${project}/databases`} className={`${linkClass} self-start text-sm`}>
        ← Databases
      </Link>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 className="font-mono text-xl font-semibold break-all">{database.name}</h2>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">{database.engine}</span>
        <JobStatusBadge status={database.status} settled testId="database-status" />
      </div>
      {database.error && (
        <p role="alert" className="text-sm wrap-anywhere text-red-700 dark:text-red-300">
          {database.error}
        </p>
      )}
      <ErrorAlert error={error} prefix="Could not refresh the database" />
    </div>
  );
}
