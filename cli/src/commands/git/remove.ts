import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const remove = defineCommand<ProjectArgs>({
  name: 'rm',
  aliases: ['remove'],
  summary: 'disconnect the repository (webhooks stop deploying; its deploy key is forgotten)',
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    await ctx.api().gitSource.remove.mutate({ project });
    say(`Removed the git source of '${project}'.`);
    return EXIT.ok;
  },
});
