import { Option } from 'commander';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';

export const list = defineCommand<SharedArgs & { all?: boolean }>({
  name: 'list',
  aliases: ['ls', 'l'],
  options: [new Option('--all')],
  async run(options, ctx) {
    const teams = await ctx.api().team.list.query({ all: options.all ?? false });
    printList(options.output, teams, {
      empty: 'You are in no team yet. Create one: rise t c devops',
      table: (teams) => ({
        columns: [
          { title: 'TEAM', width: 16 },
          { title: 'ROLE', width: 12 },
          { title: 'MEMBERS', width: 10 },
          { title: 'PROJECTS', width: 0 },
        ],
        rows: teams.map((t) => [t.name, t.role, String(t.memberCount), String(t.projectCount)]),
      }),
    });
    return EXIT.ok;
  },
});
