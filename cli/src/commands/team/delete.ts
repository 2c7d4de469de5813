import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { say } from '../../lib/output';

export const remove = defineCommand<SharedArgs & { name: string }>({
  name: 'delete',
  aliases: ['del', 'rm'],
  arguments: [{ name: 'name', required: true }],
  async run(options, ctx) {
    await ctx.api().team.delete.mutate({ team: options.name });
    say(`Deleted team '${options.name}'.`);
    return EXIT.ok;
  },
});
