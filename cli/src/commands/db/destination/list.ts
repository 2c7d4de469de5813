import { defineCommand, type ProjectArgs } from '../../../lib/command-spec';
import { EXIT } from '../../../lib/errors';
import { formatTime } from '../../../lib/format';
import { printList } from '../../../lib/output';
import { projectOf } from '../../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary: "the project's backup destinations",
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const destinations = await ctx.api().backup.destinations.query({ project });
    printList(options.output, destinations, {
      empty: `No backup destinations in '${project}' yet; 'local' is created on the first backup. Add one: rise db destination add offsite --s3 --bucket my-backups`,
      table: (destinations) => ({
        columns: [
          { title: 'NAME', width: 16 },
          { title: 'KIND', width: 7 },
          { title: 'LOCATION', width: 40 },
          { title: 'CREATED', width: 0 },
        ],
        rows: destinations.map((d) => [d.name, d.kind, d.location, formatTime(d.createdAt)]),
      }),
    });
    return EXIT.ok;
  },
});
