import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, printTable, say } from '../../lib/output';
import { projectOf } from '../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary: "the project's databases",
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const databases = await ctx.api().database.list.query({ project });
    if (options.output === 'json') printJson(databases);
    else if (databases.length === 0)
      say(`No databases in '${project}' yet: rise db create main --engine postgres`);
    else
      printTable(
        [
          { title: 'NAME', width: 16 },
          { title: 'ENGINE', width: 10 },
          { title: 'STATUS', width: 14 },
          { title: 'HOST', width: 24 },
          { title: 'ENV', width: 0 },
        ],
        databases.map((d) => [
          d.name,
          d.engine,
          d.status,
          `${d.host}:${d.port}`,
          d.envPrefix ? `${d.envPrefix}_*` : '-',
        ]),
      );
    return EXIT.ok;
  },
});
