import { Option } from 'commander';
import { z } from 'zod';
import { databaseName } from '../../../../src/shared/databases/database.schema';
import type { ApiInputs } from '../../lib/api';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { parseFlags } from '../../lib/flags';
import { printJson, say } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { followRestore } from './follow-restore';

/** `rise db restore-deleted --into` → backup.restoreDeleted input: always into a new database. */
export function restoreDeletedRequest(
  backup: string,
  flags: { into?: string },
): Omit<ApiInputs['backup']['restoreDeleted'], 'project'> {
  if (flags.into === undefined)
    throw new CliError('Name the new database to restore into: --into <new-db-name>.', EXIT.usage);
  const { into } = parseFlags(z.object({ into: databaseName }), { into: flags.into });
  return { backup, into };
}

export const restoreDeleted = defineCommand<ProjectArgs & { backupId: string; into?: string }>({
  name: 'restore-deleted',
  summary: 'restore a backup of a deleted database into a new database',
  arguments: [{ name: 'backup-id', required: true }],
  project: {},
  options: [new Option('--into <new-db-name>', 'name of the new database').makeOptionMandatory()],
  async run(options, ctx) {
    const { backupId } = options;
    const request = restoreDeletedRequest(backupId, options);
    const project = projectOf(options);
    const api = ctx.api();
    const restore = await api.backup.restoreDeleted.mutate({ project, ...request });
    say(
      `Restoring backup ${backupId} into new database '${restore.targetDatabase ?? request.into}' (restore ${restore.id}) ...`,
    );
    await followRestore(
      (handlers) => api.backup.deletedRestoreLogs.subscribe({ project, restore: restore.id }, handlers),
      restore.id,
      'rise db deleted',
      options.output !== 'json',
    );
    const final = (await api.backup.deletedRestores.query({ project })).find((r) => r.id === restore.id);
    if (!final) throw new CliError(`Restore ${restore.id} is gone.`, EXIT.notFound);
    if (options.output === 'json') printJson(final);
    if (final.status === 'failed')
      throw new CliError(`Restore ${final.id} failed: ${final.error ?? 'see the log above'}`);
    if (options.output !== 'json')
      say(
        `Restored into new database '${final.targetDatabase}' (not linked; to use it: rise db link ${final.targetDatabase}).`,
      );
    return EXIT.ok;
  },
});
