import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, printTable, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const vars = await ctx.api().env.list.query({ project });
    if (options.output === 'json') printJson(vars);
    else if (vars.length === 0)
      say(`No env vars on '${project}': rise env set KEY=value --project ${project}`);
    else
      printTable(
        [
          { title: 'KEY', width: 24 },
          { title: 'VALUE', width: 0 },
        ],
        vars.map((v) => [v.key, v.secret ? '******** (secret)' : (v.value ?? '')]),
      );
    return EXIT.ok;
  },
});
