'use client';

import { useState } from 'react';
import { useProject } from '@/components/project-settings/use-project';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import type { DatabaseView } from '@/shared/databases/database.schema';
import { BackupsCard } from './backups-card';
import { ConnectionCard } from './connection-card';
import { DatabaseTitle } from './database-title';
import { DeleteDatabaseZone } from './delete-database-zone';
import { RestoresCard } from './restores-card';
import { SchedulesCard } from './schedules-card';
import { useDatabase } from './use-databases';

/** One database: how to connect, its backups and restores, backup schedules and deleting it. */
export function DatabaseDetail({
  project: initialProject,
  initialDatabase,
}: {
  project: ProjectDetail;
  initialDatabase: DatabaseView;
}) {
  const project = useProject(initialProject);
  const query = useDatabase(project.name, initialDatabase.name, initialDatabase);
  const database = query.data ?? initialDatabase;
  // The restore whose log is shown: the one just started, or one picked from the history.
  const [watching, setWatching] = useState<string | null>(null);
  const can = (action: Parameters<typeof canOnProject>[1]) => canOnProject(project.role, action);
  const target = { kind: 'database', project: project.name, database: database.name } as const;

  return (
    <>
      <DatabaseTitle project={project.name} database={database} error={query.error} />
      <ConnectionCard
        project={project.name}
        database={database}
        canReveal={can('project:env')}
        canLink={can('project:databases')}
      />
      <BackupsCard
        target={target}
        canBackup={can('project:backup')}
        canRestore={can('project:restore')}
        onRestoreStarted={setWatching}
      />
      <RestoresCard target={target} watching={watching} onWatch={setWatching} />
      <SchedulesCard target={target} canEdit={can('project:databases')} />
      {can('project:databases') && <DeleteDatabaseZone project={project.name} database={database.name} />}
    </>
  );
}
