import { defineCommand, type ProjectArgs } from '../../../lib/command-spec';
import { EXIT } from '../../../lib/errors';
import { formatTime } from '../../../lib/format';
import { printList } from '../../../lib/output';
import { projectOf } from '../../../lib/project';

export const list = defineCommand<ProjectArgs & { name: string }>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary: 'backup schedules of a database',
  arguments: [{ name: 'name', required: true }],
  project: {},
  async run(options, ctx) {
    const { name } = options;
    const project = projectOf(options);
    const schedules = await ctx.api().backup.schedules.query({ project, database: name });
    printList(options.output, schedules, {
      empty: `No backup schedules for '${name}': rise db schedule add ${name} --cron '0 3 * * *'`,
      table: (schedules) => ({
        columns: [
          { title: 'ID', width: 28 },
          { title: 'CRON', width: 16 },
          { title: 'DESTINATION', width: 13 },
          { title: 'KEEP', width: 6 },
          { title: 'MAX-AGE', width: 9 },
          { title: 'NEXT RUN', width: 0 },
        ],
        rows: schedules.map((s) => [
          s.id,
          s.cron,
          `${s.destination}${s.encrypt ? ' (enc)' : ''}`,
          s.keepLast === null ? 'all' : String(s.keepLast),
          s.maxAgeDays === null ? '-' : `${s.maxAgeDays}d`,
          s.enabled ? formatTime(s.nextRunAt) : 'disabled',
        ]),
      }),
    });
    return EXIT.ok;
  },
});
