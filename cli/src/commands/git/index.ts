import type { GroupSpec } from '../../lib/command-spec';
import { key } from './key';
import { remove } from './remove';
import { secret } from './secret';
import { show } from './show';

export const git: GroupSpec = {
  name: 'git',
  summary: "a project's git source (set it with rise p u --git)",
  commands: [show, key, secret, remove],
};
