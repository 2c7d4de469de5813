import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const remove = defineCommand<ProjectArgs & { hostname: string }>({
  name: 'rm',
  aliases: ['remove'],
  arguments: [{ name: 'hostname', required: true }],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    await ctx.api().domain.remove.mutate({ project, hostname: options.hostname });
    say(`Removed ${options.hostname} from '${project}'.`);
    return EXIT.ok;
  },
});
