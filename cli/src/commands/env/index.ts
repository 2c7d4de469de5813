import type { GroupSpec } from '../../lib/command-spec';
import { list } from './list';
import { remove } from './remove';
import { set } from './set';

export const env: GroupSpec = {
  name: 'env',
  summary: 'environment variables of a project',
  commands: [set, list, remove],
};
