import type { GroupSpec } from '../../lib/command-spec';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { show } from './show';
import { update } from './update';

export const team: GroupSpec = {
  name: 'team',
  aliases: ['t'],
  summary: 'manage teams',
  commands: [create, list, show, update, remove],
};
