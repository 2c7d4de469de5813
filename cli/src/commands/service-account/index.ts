import type { GroupSpec } from '../../lib/command-spec';
import { create } from './create';
import { remove } from './delete';
import { list } from './list';
import { show } from './show';

export const serviceAccount: GroupSpec = {
  name: 'service-account',
  aliases: ['sa'],
  summary: 'identities for CI jobs: JWTs from a trusted issuer (RISE_TOKEN) act on one project',
  commands: [create, list, show, remove],
};
