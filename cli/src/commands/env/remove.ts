import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const remove = defineCommand<ProjectArgs & { key: string }>({
  name: 'rm',
  aliases: ['remove'],
  arguments: [{ name: 'key', required: true }],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    await ctx.api().env.remove.mutate({ project, key: options.key });
    say(`Removed ${options.key} from '${project}'. Redeploy to apply.`);
    return EXIT.ok;
  },
});
