/** Whose backups: one project's databases, or the platform (Rise's own database). */
export type BackupScope =
  | { kind: 'project'; project: { id: string; name: string; ownerTeamId: string | null } }
  | { kind: 'platform' };

export const scopeProjectId = (scope: BackupScope) => (scope.kind === 'project' ? scope.project.id : null);

/** Audit fields of an action in a scope. */
export const scopeAudit = (scope: BackupScope) =>
  scope.kind === 'project'
    ? { projectId: scope.project.id, teamId: scope.project.ownerTeamId }
    : { projectId: null, teamId: null };
