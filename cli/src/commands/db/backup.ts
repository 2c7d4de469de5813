import { Option } from 'commander';
import { z } from 'zod';
import { destinationName } from '../../../../src/shared/backups/backup.schema';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { parseFlags } from '../../lib/flags';
import { formatBytes, formatDuration } from '../../lib/format';
import { printJson, say } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';
import { waitFor } from './wait-for';

type BackupArgs = ProjectArgs & {
  name: string;
  destination?: string;
  encrypt?: boolean;
  wait?: boolean;
  timeout: number;
};

export const backup = defineCommand<BackupArgs>({
  name: 'backup',
  summary: 'back up a database now',
  arguments: [{ name: 'name', required: true }],
  project: {},
  options: [
    new Option('--destination <name>', 'where to (default: local)'),
    new Option('--encrypt', 'encrypt the archive with the server key').default(false),
    sharedOptions.wait('wait until it finished'),
    sharedOptions.timeoutSeconds(3600),
  ],
  async run(options, ctx) {
    const { name } = options;
    const { destination } = parseFlags(z.object({ destination: destinationName.optional() }), options);
    const project = projectOf(options);
    const api = ctx.api();
    let backup = await api.backup.run.mutate({
      project,
      database: name,
      destination,
      encrypt: options.encrypt ?? false,
    });
    if (!options.wait) {
      if (options.output === 'json') printJson(backup);
      else
        say(
          `Queued backup ${backup.id} of '${name}' to ${backup.destination}. Follow it: rise db backups ${name}`,
        );
      return EXIT.ok;
    }
    backup = await waitFor(
      `Backing up '${name}' to ${backup.destination} ...`,
      options.timeout,
      async () => {
        const current = await api.backup.get.query({ project, database: name, backup: backup.id });
        return current.status === 'succeeded' || current.status === 'failed' ? current : undefined;
      },
      `Still backing up after ${options.timeout} s; check it with: rise db backups ${name}`,
    );
    if (options.output === 'json') printJson(backup);
    if (backup.status === 'failed')
      throw new CliError(`Backup ${backup.id} of '${name}' failed: ${backup.error ?? 'no details'}`);
    if (options.output !== 'json')
      say(
        `Backup ${backup.id} of '${name}' succeeded: ${formatBytes(backup.sizeBytes)}${backup.encrypted ? ' (encrypted)' : ''} in ${formatDuration(backup.durationMs)}, stored at ${backup.destination}.`,
      );
    return EXIT.ok;
  },
});
