import { defineCommand, type ProjectArgs } from '../../../lib/command-spec';
import { EXIT } from '../../../lib/errors';
import { printJson, say } from '../../../lib/output';
import { projectOf } from '../../../lib/project';

export const remove = defineCommand<ProjectArgs & { name: string; scheduleId: string }>({
  name: 'remove',
  aliases: ['rm', 'del'],
  summary: 'stop the schedule; its backups stay',
  arguments: [
    { name: 'name', required: true },
    { name: 'schedule-id', required: true },
  ],
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const result = await ctx.api().backup.removeSchedule.mutate({
      project,
      database: options.name,
      schedule: options.scheduleId,
    });
    if (options.output === 'json') printJson(result);
    else say(`Removed backup schedule ${result.id} of '${options.name}'; its backups stay.`);
    return EXIT.ok;
  },
});
