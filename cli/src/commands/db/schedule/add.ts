import { Option } from 'commander';
import { z } from 'zod';
import { cronExpression, destinationName } from '../../../../../src/shared/backups/backup.schema';
import type { ApiInputs } from '../../../lib/api';
import { defineCommand, type ProjectArgs } from '../../../lib/command-spec';
import { CliError, EXIT } from '../../../lib/errors';
import { parseFlags } from '../../../lib/flags';
import { formatTime } from '../../../lib/format';
import { printJson, say } from '../../../lib/output';
import { projectOf } from '../../../lib/project';

const count = (max: number, what: string) =>
  z.coerce
    .number({ message: `expected a whole number of ${what}` })
    .int({ message: `expected a whole number of ${what}` })
    .min(1, { message: `expected at least 1 ${what.replace(/s$/, '')}` })
    .max(max, { message: `at most ${max} ${what}` });

export type ScheduleFlags = {
  cron: string;
  destination?: string;
  keep?: string;
  maxAgeDays?: string;
  encrypt?: boolean;
};

/** `rise db schedule add` flags → backup.addSchedule input; `--keep all` keeps any number (by age only). */
export function scheduleRequest(
  flags: ScheduleFlags,
): Omit<ApiInputs['backup']['addSchedule'], 'project' | 'database'> {
  const parsed = parseFlags(
    z.object({
      cron: cronExpression,
      destination: destinationName.optional(),
      keep: z
        .union([z.literal('all'), count(1000, 'backups')], {
          message: "expected a whole number of backups from 1 to 1000, or 'all'",
        })
        .optional(),
      maxAgeDays: count(3650, 'days').optional(),
      encrypt: z.boolean().optional(),
    }),
    flags,
  );
  if (parsed.keep === 'all' && parsed.maxAgeDays === undefined)
    throw new CliError(
      '--keep all without --max-age-days would keep every backup forever; add --max-age-days <n>.',
      EXIT.usage,
    );
  return {
    cron: parsed.cron,
    destination: parsed.destination,
    keepLast: parsed.keep === 'all' ? null : parsed.keep,
    maxAgeDays: parsed.maxAgeDays ?? null,
    encrypt: parsed.encrypt ?? false,
  };
}

export const add = defineCommand<ProjectArgs & ScheduleFlags & { name: string }>({
  name: 'add',
  summary: 'back up on a cron schedule (UTC)',
  arguments: [{ name: 'name', required: true }],
  project: {},
  options: [
    new Option(
      '--cron <expression>',
      "5-field cron in UTC, e.g. '0 3 * * *' (daily at 03:00)",
    ).makeOptionMandatory(),
    new Option('--destination <name>', 'where to (default: local)'),
    new Option('--keep <n>', "how many backups to keep (default: 7; 'all' with --max-age-days)"),
    new Option('--max-age-days <n>', 'delete backups older than this'),
    new Option('--encrypt', 'encrypt the archives with the server key').default(false),
  ],
  async run(options, ctx) {
    const { name } = options;
    const request = scheduleRequest(options);
    const project = projectOf(options);
    const schedule = await ctx.api().backup.addSchedule.mutate({ project, database: name, ...request });
    if (options.output === 'json') {
      printJson(schedule);
      return EXIT.ok;
    }
    const retention = [
      schedule.keepLast === null ? null : `keeping the last ${schedule.keepLast}`,
      schedule.maxAgeDays === null ? null : `for at most ${schedule.maxAgeDays} days`,
    ]
      .filter(Boolean)
      .join(' ');
    say(
      `Backing up '${name}' at '${schedule.cron}' (UTC) to ${schedule.destination}${schedule.encrypt ? ', encrypted' : ''}, ${retention}. Next run: ${formatTime(schedule.nextRunAt)}. (schedule ${schedule.id})`,
    );
    return EXIT.ok;
  },
});
