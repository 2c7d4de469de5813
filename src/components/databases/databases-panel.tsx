'use client';

import { useProject } from '@/components/project-settings/use-project';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { DatabaseView } from '@/shared/databases/database.schema';
import { DatabaseList } from './database-list';
import { DeletedBackupsCard } from './deleted-backups-card';
import { NewDatabaseDialog } from './new-database-dialog';
import { ProjectDestinations } from './project-destinations';
import { ProjectRecentFailures } from './project-recent-failures';
import { useDatabases } from './use-databases';

/**
 * The Databases tab: the project's managed databases, recent backup failures, backups of deleted
 * databases and backup destinations.
 */
export function DatabasesPanel({
  project: initialProject,
  initialDatabases,
}: {
  project: ProjectDetail;
  initialDatabases: DatabaseView[];
}) {
  const project = useProject(initialProject);
  const query = useDatabases(project.name, initialDatabases);
  const databases = query.data ?? initialDatabases;
  const canManage = canOnProject(project.role, 'project:databases');

  return (
    <>
      <ProjectRecentFailures project={project.name} />
      <Card
        title="Databases"
        titleId="databases-title"
        actions={canManage && <NewDatabaseDialog project={project.name} />}
      >
        <ErrorAlert error={query.error} className="mb-3" />
        {databases.length === 0 ? (
          <EmptyState
            title="No databases yet"
            command={`rise db create main --engine postgres --project ${project.name}`}
          >
            {canManage
              ? 'Create a PostgreSQL, MariaDB or Redis database; Rise runs it and backs it up.'
              : 'Admins of this project can create one, from the dashboard or the terminal:'}
          </EmptyState>
        ) : (
          <DatabaseList project={project.name} databases={databases} />
        )}
      </Card>
      <DeletedBackupsCard project={project.name} canRestore={canOnProject(project.role, 'project:restore')} />
      <ProjectDestinations project={project.name} canEdit={canManage} />
    </>
  );
}
