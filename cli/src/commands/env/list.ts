import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const vars = await ctx.api().env.list.query({ project });
    printList(options.output, vars, {
      empty: `No env vars on '${project}': rise env set KEY=value --project ${project}`,
      table: (vars) => ({
        columns: [
          { title: 'KEY', width: 24 },
          { title: 'VALUE', width: 0 },
        ],
        rows: vars.map((v) => [v.key, v.secret ? '******** (secret)' : (v.value ?? '')]),
      }),
    });
    return EXIT.ok;
  },
});
