import { Option } from 'commander';
import { z } from 'zod';
import { cronExpression, destinationName } from '../../../../src/shared/backups/backup.schema';
import { volumeName } from '../../../../src/shared/volumes/volume.schema';
import { zodChecked, zodParser } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

type ScheduleArgs = ProjectArgs & {
  name: string;
  cron?: string;
  off?: boolean;
  keep?: number;
  destination?: string;
  encrypt: boolean;
};

export const schedule = defineCommand<ScheduleArgs>({
  name: 'schedule',
  summary: 'back a volume up on a cron schedule (UTC), keeping the last N; --off stops it',
  arguments: [{ name: 'name', required: true, schema: volumeName }],
  examples: [
    "rise volume schedule data --cron '0 3 * * *' --keep 7 --encrypt -p my-app",
    'rise volume schedule data --off -p my-app',
  ],
  project: {},
  options: [
    new Option('--cron <expression>', 'when, in UTC: five cron fields, e.g. "0 3 * * *"').argParser(
      zodChecked(cronExpression),
    ),
    new Option('--off', 'stop the scheduled backups (those taken stay)').conflicts('cron'),
    new Option('--keep <n>', 'scheduled backups kept; older ones are deleted (default: all)').argParser(
      zodParser(
        z
          .string()
          .regex(/^\d+$/, 'Expected a whole number.')
          .transform(Number)
          .pipe(z.number().int().min(1, 'Keep at least 1.').max(1000, 'Keep at most 1000.')),
      ),
    ),
    new Option('--destination <name>', 'where to (default: local)').argParser(zodChecked(destinationName)),
    new Option('--encrypt', 'encrypt the archives with the server key').default(false),
  ],
  async run(options, ctx) {
    if (!options.cron && !options.off)
      throw new CliError('Give --cron EXPRESSION, or --off to stop.', EXIT.usage);
    const project = projectArgument(options.project);
    const volume = await ctx.api().volume.schedule.mutate({
      project,
      name: options.name,
      cron: options.off ? null : (options.cron ?? null),
      keep: options.keep ?? null,
      destination: options.destination,
      encrypt: options.encrypt,
    });
    if (options.output === 'json') printJson(volume);
    else if (!volume.backupSchedule) say(`Stopped the scheduled backups of volume ${options.name}.`);
    else {
      const { cron, destination, keep } = volume.backupSchedule;
      say(
        `Volume ${options.name} is backed up at '${cron}' (UTC) to ${destination}${keep ? `, keeping the last ${keep}` : ''}.`,
      );
    }
    return EXIT.ok;
  },
});
