import { Option } from 'commander';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { say } from '../../lib/output';
import { collect } from '../../lib/shared-options';
import { parseMemberChange } from './member-change';

export const update = defineCommand<SharedArgs & { name: string; add?: string[]; remove?: string[] }>({
  name: 'update',
  aliases: ['u', 'edit'],
  arguments: [{ name: 'name', required: true }],
  options: [
    new Option('--add <user=role>', 'add or change a member, e.g. user:alice=developer').argParser(collect),
    new Option('--remove <user>', 'remove a member, e.g. user:bob').argParser(collect),
  ],
  async run(options, ctx) {
    const { name } = options;
    const api = ctx.api();
    for (const change of (options.add ?? []).map(parseMemberChange)) {
      await api.team.addMember.mutate({ team: name, ...change });
      say(`Added user:${change.user} to '${name}' as ${change.role}.`);
    }
    for (const user of options.remove ?? []) {
      await api.team.removeMember.mutate({ team: name, user });
      say(`Removed ${user.startsWith('user:') ? user : `user:${user}`} from '${name}'.`);
    }
    if (!options.add?.length && !options.remove?.length)
      say('Nothing to change: use --add user:<name>=<role> or --remove user:<name>.');
    return EXIT.ok;
  },
});
