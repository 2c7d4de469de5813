/** Whose backups a component shows: one database of a project, or Rise's own database (platform admins). */
export type BackupTarget = { kind: 'database'; project: string; database: string } | { kind: 'platform' };
