import type { GroupSpec } from '../../lib/command-spec';
import { add } from './add';
import { list } from './list';
import { remove } from './remove';
import { verify } from './verify';

export const domain: GroupSpec = {
  name: 'domain',
  summary: 'custom domains of a project',
  commands: [add, verify, list, remove],
};
