import Link from 'next/link';
import { JobStatusBadge } from '@/components/backups/job-status-badge';
import { linkClass } from '@/components/ui/link-class';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import type { DatabaseView } from '@/shared/databases/database.schema';
import { LinkedEnvKeys } from './linked-env-keys';

/** The project's databases; each name opens the database's page. */
export function DatabaseList({ project, databases }: { project: string; databases: DatabaseView[] }) {
  return (
    <DataTable
      caption={`Databases (${databases.length})`}
      minWidth="min-w-[40rem]"
      columns={['Name', 'Engine', 'Status', 'Host', 'Env vars']}
    >
      {databases.map((database) => (
        <tr key={database.id} data-testid={`database-${database.name}`} className={rowClass}>
          <td className={cellClass}>
            <Link
              href={`/projects/${project}/databases/${database.name}`}
              className={`${linkClass} font-mono font-medium`}
            >
              {database.name}
            </Link>
          </td>
          <td className={cellClass}>{database.engine}</td>
          <td className={cellClass}>
            <JobStatusBadge status={database.status} settled testId="database-status" />
            {database.error && (
              <p className="mt-1 max-w-xs text-xs wrap-anywhere text-red-700 dark:text-red-300">
                {database.error}
              </p>
            )}
          </td>
          <td className={`${cellClass} font-mono text-xs break-all`}>
            {database.host}:{database.port}
          </td>
          <td className={cellClass}>
            <LinkedEnvKeys keys={database.envKeys} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
