import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';
import { projectOf } from '../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary: "the project's databases",
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const databases = await ctx.api().database.list.query({ project });
    printList(options.output, databases, {
      empty: `No databases in '${project}' yet: rise db create main --engine postgres`,
      table: (databases) => ({
        columns: [
          { title: 'NAME', width: 16 },
          { title: 'ENGINE', width: 10 },
          { title: 'STATUS', width: 14 },
          { title: 'HOST', width: 24 },
          { title: 'ENV', width: 0 },
        ],
        rows: databases.map((d) => [
          d.name,
          d.engine,
          d.status,
          `${d.host}:${d.port}`,
          d.envPrefix ? `${d.envPrefix}_*` : '-',
        ]),
      }),
    });
    return EXIT.ok;
  },
});
