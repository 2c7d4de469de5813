import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, printTable } from '../../lib/output';

export const show = defineCommand<SharedArgs & { name: string }>({
  name: 'show',
  aliases: ['s'],
  arguments: [{ name: 'name', required: true }],
  async run(options, ctx) {
    const team = await ctx.api().team.get.query({ team: options.name });
    if (options.output === 'json') printJson(team);
    else
      printTable(
        [
          { title: 'MEMBER', width: 24 },
          { title: 'ROLE', width: 12 },
          { title: 'EMAIL', width: 0 },
        ],
        team.members.map((m) => [`user:${m.username}`, m.role, m.email]),
      );
    return EXIT.ok;
  },
});
