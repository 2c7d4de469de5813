import { z } from 'zod';
import { registryPassword, registryUsername } from '../../../../src/shared/registry/registry-login.schema';
import { registryLoginHost } from '../../../../src/shared/registry/registry-login-host.schema';
import { projectNameArgument } from '../../lib/arguments';
import { parseFlags } from '../../lib/flags';
import { projectArgument } from '../../lib/project';

/** `https://ghcr.io/` as `docker login` takes it → `ghcr.io`; the API then checks the host grammar. */
export const bareHost = (host: string) =>
  host
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');

const hostInput = z.object({ project: projectNameArgument, host: registryLoginHost });
const loginInput = hostInput.extend({ username: registryUsername, password: registryPassword });
export const LABELS = {
  host: '<host>',
  project: '-p, --project',
  username: '-u, --username',
  password: 'password',
};

/** The project and normalized host of `rise registry login|logout`, or a usage error naming the flag. */
export function hostRequest(host: string, flags: { project?: string }) {
  return parseFlags(hostInput, { project: projectArgument(flags.project), host: bareHost(host) }, LABELS);
}

/** The whole `registry.set` input; the password comes from stdin or the prompt, never from a flag. */
export function loginRequest(host: string, flags: { project?: string; username?: string }, password: string) {
  return parseFlags(
    loginInput,
    { ...hostRequest(host, flags), username: flags.username ?? '', password },
    LABELS,
  );
}
