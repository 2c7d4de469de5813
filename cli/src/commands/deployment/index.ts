import type { GroupSpec } from '../../lib/command-spec';
import { cancel } from './cancel';
import { create } from './create';
import { extend } from './extend';
import { list } from './list';
import { logs } from './logs';
import { rollback } from './rollback';
import { show } from './show';
import { start } from './start';
import { stop } from './stop';

export const deployment: GroupSpec = {
  name: 'deployment',
  aliases: ['d'],
  summary: 'deploy, roll back and stop; preview groups (-g) and expiry (--expire, extend)',
  commands: [create, list, show, start, cancel, rollback, stop, extend, logs],
};
