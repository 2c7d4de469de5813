import { defineCommand } from '../../lib/command-spec';
import { deleteCredentials } from '../../lib/config';
import { EXIT } from '../../lib/errors';
import { say } from '../../lib/output';

export const logout = defineCommand({
  name: 'logout',
  summary: 'forget the stored login',
  shared: [],
  run() {
    say(deleteCredentials() ? 'Logged out.' : 'You were not logged in.');
    return EXIT.ok;
  },
});
