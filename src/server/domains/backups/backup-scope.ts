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

/** Whose backups a request is about: one database, Rise's own database, or a project's deleted databases. */
export type BackupOwner = { databaseId: string } | { platform: true } | { deletedIn: string };

export function backupsOf(owner: BackupOwner) {
  if ('databaseId' in owner) return { databaseId: owner.databaseId };
  if ('platform' in owner) return { engine: 'platform' };
  return { projectId: owner.deletedIn, databaseId: null, engine: { not: 'platform' } };
}

export function ownsBackup(
  owner: BackupOwner,
  backup: { databaseId: string | null; projectId: string | null; engine: string },
): boolean {
  if ('databaseId' in owner) return backup.databaseId === owner.databaseId;
  if ('platform' in owner) return backup.engine === 'platform';
  return backup.projectId === owner.deletedIn && backup.databaseId === null && backup.engine !== 'platform';
}
