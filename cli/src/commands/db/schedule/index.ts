import type { GroupSpec } from '../../../lib/command-spec';
import { add } from './add';
import { list } from './list';
import { remove } from './remove';

export const schedule: GroupSpec = {
  name: 'schedule',
  summary: 'scheduled backups of a database',
  commands: [add, list, remove],
};
