'use client';

import { type ReactNode, useState } from 'react';
import { Card } from '@/components/ui/card';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { DangerZone } from './danger-zone';
import { ProjectSettingsForm } from './project-settings-form';
import { ProjectSettingsSummary } from './project-settings-summary';
import { useProject } from './use-project';

/** The Settings tab: the form (or a read-only summary), further sections, and, for owners, the danger zone last. */
export function SettingsPanel({
  project: initialProject,
  children,
}: {
  project: ProjectDetail;
  children?: ReactNode;
}) {
  const project = useProject(initialProject);
  // Kept here so the message survives a transfer that leaves the user without `project:update`.
  const [saved, setSaved] = useState<string | null>(null);
  const canUpdate = canOnProject(project.role, 'project:update');
  return (
    <>
      <Card title="Settings">
        {canUpdate ? (
          <ProjectSettingsForm project={project} onSaved={setSaved} />
        ) : (
          <ProjectSettingsSummary project={project} />
        )}
        <p role="status" className="mt-3 text-sm text-emerald-700 empty:hidden dark:text-emerald-300">
          {saved}
        </p>
      </Card>
      {children}
      {canOnProject(project.role, 'project:delete') && <DangerZone project={project.name} />}
    </>
  );
}
