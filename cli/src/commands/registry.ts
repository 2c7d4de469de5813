import { z } from 'zod';
import { registryPassword, registryUsername } from '../../../src/shared/registry/registry-login.schema';
import { registryLoginHost } from '../../../src/shared/registry/registry-login-host.schema';
import { authenticatedApi } from '../lib/api';
import { projectNameArgument } from '../lib/arguments';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say } from '../lib/output';
import { formatTime, parseFlags } from './database';
import { projectArgument } from './deployment';

type Common = { url?: string; output: string; project?: string };
export type LoginFlags = Common & { username?: string; passwordStdin?: boolean };

const client = authenticatedApi;

/** `https://ghcr.io/` as `docker login` takes it → `ghcr.io`; the API then checks the host grammar. */
export const bareHost = (host: string) =>
  host
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');

const hostInput = z.object({ project: projectNameArgument, host: registryLoginHost });
const loginInput = hostInput.extend({ username: registryUsername, password: registryPassword });
const LABELS = { host: '<host>', project: '-p, --project', username: '-u, --username', password: 'password' };

/** The project and normalized host of `rise registry login|logout`, or a usage error naming the flag. */
export function hostRequest(host: string, flags: Pick<Common, 'project'>) {
  return parseFlags(hostInput, { project: projectArgument(flags.project), host: bareHost(host) }, LABELS);
}

/** The whole `registry.set` input; the password comes from stdin or the prompt, never from a flag. */
export function loginRequest(host: string, flags: LoginFlags, password: string) {
  return parseFlags(
    loginInput,
    { ...hostRequest(host, flags), username: flags.username ?? '', password },
    LABELS,
  );
}

/** All of `input`, less the one trailing newline `echo` adds. */
export async function readAll(input: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for the password on the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          return resolve(value);
        }
        if (char === '\u0003') {
          finish();
          return reject(new CliError('Cancelled: no login was stored.', EXIT.failure));
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The password: from stdin with --password-stdin (`echo "$TOKEN" | rise registry login …`), else asked
 * for on a terminal. Never a flag: flags end up in shell history and in `ps`.
 */
export async function readPassword(
  flags: Pick<LoginFlags, 'passwordStdin'>,
  stdin: AsyncIterable<string | Buffer> & { isTTY?: boolean } = process.stdin,
  prompt: (question: string) => Promise<string> = promptHidden,
): Promise<string> {
  if (flags.passwordStdin) return readAll(stdin);
  if (stdin.isTTY) return prompt('Password (or access token): ');
  throw new CliError(
    'No terminal to ask for the password: pipe it in with --password-stdin, e.g. `echo "$REGISTRY_TOKEN" | rise registry login <host> -p <project> -u <user> --password-stdin`.',
    EXIT.usage,
  );
}

export async function registryLogin(host: string, options: LoginFlags) {
  // Check everything else before waiting on stdin or a prompt, so mistakes show at once.
  loginRequest(host, options, 'pending');
  const api = client(options);
  const input = loginRequest(host, options, await readPassword(options));
  const logins = await api.registryLogin.set.mutate(input);
  if (options.output === 'json') return printJson(logins);
  say(
    `Saved the login of '${input.project}' for ${input.host} (user ${input.username}). Deployments of '${input.project}' pull images from ${input.host} with it; no other project can use it.`,
  );
}

export async function listRegistryLogins(options: Common) {
  const project = parseFlags(
    z.object({ project: projectNameArgument }),
    { project: projectArgument(options.project) },
    LABELS,
  ).project;
  const logins = await client(options).registryLogin.list.query({ project });
  if (options.output === 'json') return printJson(logins);
  if (logins.length === 0)
    return say(
      `No registry logins on '${project}': images from public registries need none. For a private one: rise registry login <host> -p ${project} -u <user> --password-stdin`,
    );
  printTable(
    [
      { title: 'HOST', width: 32 },
      { title: 'USERNAME', width: 20 },
      { title: 'UPDATED', width: 0 },
    ],
    logins.map((login) => [login.host, login.username, formatTime(login.updatedAt)]),
  );
}

export async function registryLogout(host: string, options: Common) {
  const input = hostRequest(host, options);
  const logins = await client(options).registryLogin.remove.mutate(input);
  if (options.output === 'json') return printJson(logins);
  say(`Removed the login of '${input.project}' for ${input.host}.`);
}
