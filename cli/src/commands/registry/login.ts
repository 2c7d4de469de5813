import { Option } from 'commander';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { loginRequest } from './login-request';
import { readPassword } from './password';

export const login = defineCommand<
  ProjectArgs & { host: string; username?: string; passwordStdin?: boolean }
>({
  name: 'login',
  summary: 'store the login the project pulls images from <host> with (encrypted; only it uses it)',
  arguments: [{ name: 'host', required: true }],
  project: {},
  options: [
    new Option('-u, --username <user>', 'the registry user name').makeOptionMandatory(),
    new Option('--password-stdin', 'read the password or token from stdin (default: ask on the terminal)'),
  ],
  async run(options, ctx) {
    // Check everything else before waiting on stdin or a prompt, so mistakes show at once.
    loginRequest(options.host, options, 'pending');
    const api = ctx.api();
    const input = loginRequest(options.host, options, await readPassword(options));
    const logins = await api.registryLogin.set.mutate(input);
    if (options.output === 'json') printJson(logins);
    else
      say(
        `Saved the login of '${input.project}' for ${input.host} (user ${input.username}). Deployments of '${input.project}' pull images from ${input.host} with it; no other project can use it.`,
      );
    return EXIT.ok;
  },
});
