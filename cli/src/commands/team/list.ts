import { Option } from 'commander';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, printTable, say } from '../../lib/output';

export const list = defineCommand<SharedArgs & { all?: boolean }>({
  name: 'list',
  aliases: ['ls', 'l'],
  options: [new Option('--all')],
  async run(options, ctx) {
    const teams = await ctx.api().team.list.query({ all: options.all ?? false });
    if (options.output === 'json') printJson(teams);
    else if (teams.length === 0) say('You are in no team yet. Create one: rise t c devops');
    else
      printTable(
        [
          { title: 'TEAM', width: 16 },
          { title: 'ROLE', width: 12 },
          { title: 'MEMBERS', width: 10 },
          { title: 'PROJECTS', width: 0 },
        ],
        teams.map((t) => [t.name, t.role, String(t.memberCount), String(t.projectCount)]),
      );
    return EXIT.ok;
  },
});
