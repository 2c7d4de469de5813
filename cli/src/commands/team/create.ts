import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';

export const create = defineCommand<SharedArgs & { name: string }>({
  name: 'create',
  aliases: ['c', 'new'],
  arguments: [{ name: 'name', required: true }],
  async run(options, ctx) {
    const team = await ctx.api().team.create.mutate({ name: options.name });
    if (options.output === 'json') printJson(team);
    else say(`Created team '${team.name}'; you are its owner.`);
    return EXIT.ok;
  },
});
