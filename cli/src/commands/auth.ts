import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { createApi, requireToken } from '../lib/api';
import { deleteCredentials, resolveTarget, writeCredentials } from '../lib/config';
import { CliError, EXIT } from '../lib/errors';
import { printJson, say } from '../lib/output';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const firstName = (user: { name: string | null; username: string }) =>
  user.name?.split(' ')[0] || user.username;

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

export async function login(options: { url?: string; token?: string }) {
  const { url } = resolveTarget(options);
  if (options.token) {
    const me = await createApi(url, options.token).me.query();
    if (me.kind !== 'user')
      throw new CliError('That token belongs to a service account; use a user token.', EXIT.usage);
    writeCredentials({ url, token: options.token, username: me.username });
    say(`Login successful! Welcome back, ${firstName(me)}!`);
    return;
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
    return;
  }
  throw new CliError(
    'The login request expired before it was approved. Run `rise login` again.',
    EXIT.unauthenticated,
  );
}

export function logout() {
  say(deleteCredentials() ? 'Logged out.' : 'You were not logged in.');
}

export async function whoami(options: { url?: string; output: string }) {
  const { url, token } = resolveTarget(options);
  const me = await createApi(url, requireToken(token)).me.query();
  if (options.output === 'json') return printJson(me);
  if (me.kind === 'user') process.stdout.write(`user:${me.username} (${me.email}) at ${url}\n`);
  else process.stdout.write(`service-account:${me.name} at ${url}\n`);
}
