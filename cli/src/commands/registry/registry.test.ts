import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError, EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';

// The API client is replaced by a recorder: these tests see exactly what the commands send.
const calls = vi.hoisted(() => [] as { procedure: string; input: unknown }[]);
const LOGIN = { host: 'ghcr.io', username: 'bot', createdAt: new Date(0), updatedAt: new Date(0) };
vi.mock('../../lib/api', () => {
  const procedure = (name: string) => async (input: unknown) => {
    calls.push({ procedure: name, input });
    return name === 'remove' ? [] : [LOGIN];
  };
  return {
    authenticatedApi: () => ({
      registryLogin: {
        set: { mutate: procedure('set') },
        list: { query: procedure('list') },
        remove: { mutate: procedure('remove') },
      },
    }),
  };
});

const { bareHost, hostRequest, loginRequest } = await import('./login-request');
const { readPassword } = await import('./password');
const { buildProgram } = await import('../../program');

const output = captureProcess();
beforeEach(() => {
  calls.length = 0;
});

const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);

function usageError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

describe('registry login flags', () => {
  it('takes the host as docker login does (scheme and slash dropped) and normalizes it', () => {
    expect(bareHost('https://ghcr.io/')).toBe('ghcr.io');
    expect(hostRequest('HTTP://Registry.Example.com:5000', { project: 'my-app' })).toEqual({
      project: 'my-app',
      host: 'registry.example.com:5000',
    });
    expect(hostRequest('index.docker.io', { project: 'my-app' }).host).toBe('docker.io');
  });

  it('names the flag that is wrong', () => {
    expect(usageError(() => hostRequest('ghcr.io/team', { project: 'my-app' })).message).toMatch(
      /^<host>: Registry host 'ghcr\.io\/team' is not valid: give host\[:port\] only/,
    );
    expect(usageError(() => hostRequest('myregistry', { project: 'my-app' })).message).toMatch(/single word/);
    expect(usageError(() => hostRequest('ghcr.io', { project: 'My App' })).message).toMatch(
      /^-p, --project: project names are DNS labels/,
    );
    expect(
      usageError(() => loginRequest('ghcr.io', { project: 'my-app', username: 'a:b' }, 'pw')).message,
    ).toBe('-u, --username: Registry user names have no spaces, colons or control characters.');
    expect(
      usageError(() => loginRequest('ghcr.io', { project: 'my-app', username: 'bot' }, '')).message,
    ).toBe('password: Enter the password or access token of the registry login.');
  });
});

describe('readPassword', () => {
  it('reads stdin with --password-stdin, less the newline echo adds', async () => {
    expect(await readPassword({ passwordStdin: true }, Readable.from(['tok', 'en\n']))).toBe('token');
    expect(await readPassword({ passwordStdin: true }, Readable.from(['multi\nline\r\n']))).toBe(
      'multi\nline',
    );
  });

  it('asks on a terminal, and refuses to guess without one', async () => {
    const prompt = vi.fn(async () => 'typed');
    const terminal = Object.assign(Readable.from([]), { isTTY: true });
    expect(await readPassword({}, terminal, prompt)).toBe('typed');
    expect(prompt).toHaveBeenCalledWith('Password (or access token): ');
    const error = await readPassword({}, Readable.from([]), prompt).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    expect((error as CliError).message).toContain('--password-stdin');
    expect(prompt).toHaveBeenCalledTimes(1);
  });
});

describe('rise registry', () => {
  it('login sends project, normalized host, user and the password from stdin; prints no password', async () => {
    vi.spyOn(process.stdin, Symbol.asyncIterator).mockImplementation(() =>
      Readable.from(['s3cret-token\n'])[Symbol.asyncIterator](),
    );
    await rise('registry', 'login', 'https://GHCR.io', '-p', 'my-app', '-u', 'bot', '--password-stdin');
    expect(process.exitCode ?? 0).toBe(0);
    expect(calls).toEqual([
      {
        procedure: 'set',
        input: { project: 'my-app', host: 'ghcr.io', username: 'bot', password: 's3cret-token' },
      },
    ]);
    expect(output.stderr).toContain("Saved the login of 'my-app' for ghcr.io (user bot)");
    expect(`${output.stderr}${output.stdout}`).not.toContain('s3cret-token');
  });

  it('login without a terminal or --password-stdin stops before calling the API (exit 2)', async () => {
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    await rise('registry', 'login', 'ghcr.io', '-p', 'my-app', '-u', 'bot');
    expect(process.exitCode).toBe(EXIT.usage);
    expect(output.stderr).toContain('pipe it in with --password-stdin');
    expect(calls).toEqual([]);
  });

  it('login requires -u', async () => {
    await expect(rise('registry', 'login', 'ghcr.io', '-p', 'my-app')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("required option '-u, --username <user>' not specified");
  });

  it('ls prints host, user and time, never a password column', async () => {
    await rise('registry', 'ls', '-p', 'my-app');
    expect(calls).toEqual([{ procedure: 'list', input: { project: 'my-app' } }]);
    expect(output.stdout.split('\n')[0]).toMatch(/^HOST +USERNAME +UPDATED$/);
    expect(output.stdout.split('\n')[1]).toMatch(/^ghcr\.io +bot +1970-01-01 00:00 UTC$/);
  });

  it('logout removes the normalized host', async () => {
    await rise('registry', 'logout', 'Ghcr.io', '--project', 'my-app');
    expect(calls).toEqual([{ procedure: 'remove', input: { project: 'my-app', host: 'ghcr.io' } }]);
    expect(output.stderr).toContain("Removed the login of 'my-app' for ghcr.io.");
  });
});
