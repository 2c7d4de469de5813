import type { BackupView } from '../../../../src/shared/backups/backup.schema';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatBytes, formatDuration, formatTime } from '../../lib/format';
import { printList, type Table } from '../../lib/output';
import { collectPages } from '../../lib/pages';
import { projectOf } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';

/** The backup history table: one row per backup, the first line of the error for failed ones. */
export function backupTable(backups: BackupView[]): Table {
  const failed = backups.some((b) => b.error);
  const columns = [
    { title: 'ID', width: 28 },
    { title: 'STATUS', width: 11 },
    { title: 'TRIGGER', width: 10 },
    { title: 'SIZE', width: 11 },
    { title: 'DURATION', width: 10 },
    { title: 'DESTINATION', width: 13 },
    { title: 'CREATED', width: failed ? 22 : 0 },
    ...(failed ? [{ title: 'ERROR', width: 0 }] : []),
  ];
  const rows = backups.map((b) => [
    b.id,
    b.status,
    b.trigger,
    `${formatBytes(b.sizeBytes)}${b.encrypted ? ' (enc)' : ''}`,
    formatDuration(b.durationMs),
    b.destination,
    formatTime(b.createdAt),
    ...(failed ? [b.error?.split('\n')[0] ?? ''] : []),
  ]);
  return { columns, rows };
}

export const backups = defineCommand<ProjectArgs & { name: string; limit?: number }>({
  name: 'backups',
  summary: 'backup history, newest first',
  arguments: [{ name: 'name', required: true }],
  project: {},
  options: [sharedOptions.limit('how many', 50)],
  async run(options, ctx) {
    const { name } = options;
    const project = projectOf(options);
    const api = ctx.api();
    const backups = await collectPages(
      (page) => api.backup.list.query({ project, database: name, ...page }),
      (backup) => backup.id,
      options.limit,
    );
    printList(options.output, backups, {
      empty: `No backups of '${name}' yet: rise db backup ${name}`,
      table: backupTable,
    });
    return EXIT.ok;
  },
});
