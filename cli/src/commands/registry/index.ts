import type { GroupSpec } from '../../lib/command-spec';
import { list } from './list';
import { login } from './login';
import { logout } from './logout';

export const registry: GroupSpec = {
  name: 'registry',
  summary: "a project's logins to private image registries (Rise's own registry needs none)",
  commands: [login, list, logout],
};
