import { Option } from 'commander';
import { z } from 'zod';
import type { DrillReport } from '../../../../src/shared/backups/backup.schema';
import { databaseName } from '../../../../src/shared/databases/database.schema';
import type { ApiInputs } from '../../lib/api';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { parseFlags } from '../../lib/flags';
import { printJson, printTable, say } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';
import { confirmDestructive } from './confirm';
import { followRestore } from './follow-restore';

/** `rise db restore` flags → backup.restore input: in place by default, --into a new database, or --drill. */
export function restoreRequest(
  database: string,
  backup: string,
  flags: { into?: string; drill?: boolean },
): Omit<ApiInputs['backup']['restore'], 'project'> {
  if (flags.into !== undefined && flags.drill)
    throw new CliError(
      'Use either --into (restore into a new database) or --drill (verify in a scratch copy), not both.',
      EXIT.usage,
    );
  if (flags.drill) return { database, backup, mode: 'drill' };
  if (flags.into === undefined) return { database, backup, mode: 'in_place' };
  const { into } = parseFlags(z.object({ into: databaseName }), { into: flags.into });
  if (into === database)
    throw new CliError(
      `--into names a new database; to restore '${database}' itself, omit --into.`,
      EXIT.usage,
    );
  return { database, backup, mode: 'new_database', into };
}

/** The drill report rows (TABLE EXPECTED RESTORED) and the names of the tables that differ. */
export function drillTable(report: DrillReport): { rows: string[][]; mismatched: string[] } {
  const show = (value: number | null) => (value === null ? '-' : String(value));
  return {
    rows: report.tables.map((t) => [t.table, show(t.expected), show(t.restored)]),
    mismatched: report.tables.filter((t) => t.expected !== t.restored).map((t) => t.table),
  };
}

type RestoreArgs = ProjectArgs & {
  name: string;
  backupId: string;
  into?: string;
  drill?: boolean;
  yes?: boolean;
};

export const restore = defineCommand<RestoreArgs>({
  name: 'restore',
  summary: 'restore a backup: in place (overwrites!), --into a new database, or --drill to verify it',
  arguments: [
    { name: 'name', required: true },
    { name: 'backup-id', required: true },
  ],
  project: {},
  options: [
    new Option('--into <new-db-name>', 'restore into a new database instead').conflicts('drill'),
    new Option('--drill', 'restore into a scratch copy and compare row counts; changes nothing'),
    sharedOptions.yes('do not ask before overwriting (required when stdin is not a terminal)'),
  ],
  async run(options, ctx) {
    const { name, backupId } = options;
    const request = restoreRequest(name, backupId, options);
    const project = projectOf(options);
    if (request.mode === 'in_place')
      await confirmDestructive(
        name,
        `replace all data of database '${name}' with backup ${backupId}`,
        options.yes,
      );
    const api = ctx.api();
    const restore = await api.backup.restore.mutate({ project, ...request });
    say(
      request.mode === 'drill'
        ? `Drilling backup ${backupId} into a scratch copy (restore ${restore.id}) ...`
        : `Restoring backup ${backupId} into '${restore.targetDatabase ?? request.into ?? name}' (restore ${restore.id}) ...`,
    );
    await followRestore(
      (handlers) =>
        api.backup.restoreLogs.subscribe({ project, database: name, restore: restore.id }, handlers),
      restore.id,
      `rise db show ${name}`,
      options.output !== 'json',
    );
    const final = (await api.backup.restores.query({ project, database: name })).find(
      (r) => r.id === restore.id,
    );
    if (!final) throw new CliError(`Restore ${restore.id} is gone.`, EXIT.notFound);
    if (options.output === 'json') printJson(final);
    else if (final.report) {
      const { rows } = drillTable(final.report);
      printTable(
        [
          { title: 'TABLE', width: 32 },
          { title: 'EXPECTED', width: 12 },
          { title: 'RESTORED', width: 0 },
        ],
        rows,
      );
    }
    if (final.status === 'failed' || final.report?.passed === false) {
      const mismatched = final.report ? drillTable(final.report).mismatched : [];
      throw new CliError(
        `${final.mode === 'drill' ? 'Drill' : 'Restore'} ${final.id} failed: ${final.error ?? (mismatched.length ? `row counts differ in ${mismatched.join(', ')}` : 'see the log above')}`,
      );
    }
    if (options.output === 'json') return EXIT.ok;
    if (final.mode === 'drill') say(`Drill passed: backup ${backupId} restores and its row counts match.`);
    else if (final.mode === 'new_database')
      say(
        `Restored into new database '${final.targetDatabase}' (not linked; to use it: rise db link ${final.targetDatabase}).`,
      );
    else say(`Restored '${name}' from backup ${backupId}.`);
    return EXIT.ok;
  },
});
