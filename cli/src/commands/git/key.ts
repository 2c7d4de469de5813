import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const key = defineCommand<ProjectArgs>({
  name: 'key',
  summary: 'generate a deploy key (replacing any earlier one) and print its public half',
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const { publicKey } = await ctx.api().gitSource.generateDeployKey.mutate({ project });
    if (options.output === 'json') {
      printJson({ publicKey });
      return EXIT.ok;
    }
    process.stdout.write(`${publicKey}\n`);
    say("Add it to the repository's deploy keys (read-only) at your forge.");
    return EXIT.ok;
  },
});
