import type { GroupSpec } from '../../lib/command-spec';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { show } from './show';
import { update } from './update';

export const project: GroupSpec = {
  name: 'project',
  aliases: ['p'],
  summary: 'manage projects',
  commands: [create, list, show, update, remove],
};
