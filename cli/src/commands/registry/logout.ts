import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { hostRequest } from './login-request';

export const logout = defineCommand<ProjectArgs & { host: string }>({
  name: 'logout',
  aliases: ['rm'],
  summary: "remove the project's login for <host>",
  arguments: [{ name: 'host', required: true }],
  project: {},
  async run(options, ctx) {
    const input = hostRequest(options.host, options);
    const logins = await ctx.api().registryLogin.remove.mutate(input);
    if (options.output === 'json') printJson(logins);
    else say(`Removed the login of '${input.project}' for ${input.host}.`);
    return EXIT.ok;
  },
});
