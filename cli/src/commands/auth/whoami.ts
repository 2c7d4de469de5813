import { createApi, requireToken } from '../../lib/api';
import { defineCommand } from '../../lib/command-spec';
import { resolveTarget } from '../../lib/config';
import { EXIT } from '../../lib/errors';
import { printJson } from '../../lib/output';

export const whoami = defineCommand<{ url?: string; output: string }>({
  name: 'whoami',
  summary: 'show who you are logged in as',
  async run(options) {
    const { url, token } = resolveTarget(options);
    const me = await createApi(url, requireToken(token)).me.query();
    if (options.output === 'json') printJson(me);
    else if (me.kind === 'user') process.stdout.write(`user:${me.username} (${me.email}) at ${url}\n`);
    else process.stdout.write(`service-account:${me.name} at ${url}\n`);
    return EXIT.ok;
  },
});
