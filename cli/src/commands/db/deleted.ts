import type { BackupView } from '../../../../src/shared/backups/backup.schema';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList, type Table } from '../../lib/output';
import { collectPages } from '../../lib/pages';
import { projectOf } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';
import { backupTable } from './backups';

/** Backups of deleted databases: the backup history table with the DATABASE each was of after ID. */
export function deletedBackupTable(backups: BackupView[]): Table {
  const { columns, rows } = backupTable(backups);
  return {
    columns: [columns[0]!, { title: 'DATABASE', width: 12 }, ...columns.slice(1)],
    rows: rows.map((row, index) => [row[0]!, backups[index]?.database ?? '-', ...row.slice(1)]),
  };
}

export const deleted = defineCommand<ProjectArgs & { limit?: number }>({
  name: 'deleted',
  summary: "backups of the project's deleted databases, newest first",
  project: {},
  options: [sharedOptions.limit('how many', 50)],
  async run(options, ctx) {
    const project = projectOf(options);
    const api = ctx.api();
    const backups = await collectPages(
      (page) => api.backup.deleted.query({ project, ...page }),
      (backup) => backup.id,
      options.limit,
    );
    printList(options.output, backups, {
      empty: `No backups of deleted databases in '${project}'.`,
      table: deletedBackupTable,
    });
    return EXIT.ok;
  },
});
