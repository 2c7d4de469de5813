import type { GroupSpec } from '../../lib/command-spec';
import { backup } from './backup';
import { backups } from './backups';
import { create } from './create';
import { remove } from './delete';
import { deleted } from './deleted';
import { destination } from './destination';
import { link } from './link';
import { list } from './list';
import { restore } from './restore';
import { restoreDeleted } from './restore-deleted';
import { schedule } from './schedule';
import { show } from './show';
import { unlink } from './unlink';
import { url } from './url';

export const db: GroupSpec = {
  name: 'db',
  aliases: ['database'],
  summary: 'managed databases and their backups',
  commands: [
    create,
    list,
    show,
    link,
    unlink,
    url,
    remove,
    backup,
    backups,
    restore,
    deleted,
    restoreDeleted,
    schedule,
    destination,
  ],
};
