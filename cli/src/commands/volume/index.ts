import type { GroupSpec } from '../../lib/command-spec';
import { create } from './create';
import { list } from './list';
import { remove } from './remove';

export const volume: GroupSpec = {
  name: 'volume',
  aliases: ['vol'],
  summary: 'named volumes of a project, kept across deploys and rollbacks',
  commands: [create, list, remove],
};
