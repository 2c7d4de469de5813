import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { Option } from 'commander';
import { createApi } from '../../lib/api';
import { defineCommand } from '../../lib/command-spec';
import { resolveTarget, writeCredentials } from '../../lib/config';
import { CliError, EXIT } from '../../lib/errors';
import { say } from '../../lib/output';
import { sleep } from '../../lib/sleep';
import { firstName } from './first-name';

/** Opens the approval page in a browser when there is one; printing the URL is the fallback. */
function openBrowser(url: string) {
  if (process.env.CI || process.env.RISE_NO_BROWSER || (!process.env.DISPLAY && process.platform === 'linux'))
    return;
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export const login = defineCommand<{ url?: string; token?: string }>({
  name: 'login',
  summary: 'log in with your browser (device flow), or with --token',
  shared: ['url'],
  options: [new Option('--token <token>', 'an API token, for CI')],
  async run(options) {
    const { url } = resolveTarget(options);
    if (options.token) {
      const me = await createApi(url, options.token).me.query();
      if (me.kind !== 'user')
        throw new CliError('That token belongs to a service account; use a user token.', EXIT.usage);
      writeCredentials({ url, token: options.token, username: me.username });
      say(`Login successful! Welcome back, ${firstName(me)}!`);
      return EXIT.ok;
    }
    const api = createApi(url, null);
    const start = await api.cliLogin.start.mutate({ clientName: `rise CLI on ${hostname()}` });
    say(`Please login to rise at ${start.verificationUriComplete}`);
    openBrowser(start.verificationUriComplete);
    let interval = start.interval;
    const deadline = Date.now() + start.expiresIn * 1000;
    while (Date.now() < deadline) {
      await sleep(interval * 1000);
      const result = await api.cliLogin.poll.mutate({ deviceCode: start.deviceCode });
      if (result.status === 'pending' || result.status === 'slow_down') {
        interval = result.interval;
        continue;
      }
      if (result.status === 'denied')
        throw new CliError('Login was denied in the browser.', EXIT.unauthenticated);
      if (result.status === 'expired') break;
      writeCredentials({ url, token: result.token, username: result.user.username });
      say(`Login successful! Welcome back, ${firstName(result.user)}!`);
      return EXIT.ok;
    }
    throw new CliError(
      'The login request expired before it was approved. Run `rise login` again.',
      EXIT.unauthenticated,
    );
  },
});
