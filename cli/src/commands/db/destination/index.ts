import type { GroupSpec } from '../../../lib/command-spec';
import { add } from './add';
import { list } from './list';
import { remove } from './remove';

export const destination: GroupSpec = {
  name: 'destination',
  aliases: ['dest'],
  summary: 'where backups of the project go',
  commands: [add, list, remove],
};
