/**
 * Whose backups a component shows: one database of a project, the backups of a project's deleted
 * databases, or Rise's own database (platform admins).
 */
export type BackupTarget =
  | { kind: 'database'; project: string; database: string }
  | { kind: 'deleted'; project: string }
  | { kind: 'platform' };
