import { Option } from 'commander';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { parseAssignments } from './assignments';

export const set = defineCommand<ProjectArgs & { pairs: string[]; secret?: boolean }>({
  name: 'set',
  summary: 'set KEY=value pairs',
  arguments: [{ name: 'pairs', required: true, variadic: true }],
  project: {},
  options: [new Option('--secret', 'store encrypted; never shown again')],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const vars = parseAssignments(options.pairs).map((pair) => ({
      ...pair,
      secret: options.secret ?? false,
    }));
    const result = await ctx.api().env.set.mutate({ project, vars });
    if (options.output === 'json') printJson(result);
    else
      say(
        `Set ${vars.map((v) => v.key).join(', ')} on '${project}'${options.secret ? ' (secret)' : ''}. Redeploy to apply.`,
      );
    return EXIT.ok;
  },
});
