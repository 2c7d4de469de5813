import type { GroupSpec } from '../../lib/command-spec';
import { backup } from './backup';
import { backups } from './backups';
import { create } from './create';
import { list } from './list';
import { remove } from './remove';
import { restore } from './restore';
import { schedule } from './schedule';

export const volume: GroupSpec = {
  name: 'volume',
  aliases: ['vol'],
  summary: 'named volumes of a project, kept across deploys and rollbacks',
  commands: [create, list, remove, backup, backups, restore, schedule],
};
