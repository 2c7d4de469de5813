import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';

export const remove = defineCommand<SharedArgs & { project: string }>({
  name: 'delete',
  aliases: ['del', 'rm'],
  summary: 'delete a project and its deployments',
  project: { argument: 'required' },
  async run(options, ctx) {
    const result = await ctx.api().project.delete.mutate({ project: options.project });
    if (options.output === 'json') printJson(result);
    else say(`Deleted project '${result.name}'.`);
    return EXIT.ok;
  },
});
