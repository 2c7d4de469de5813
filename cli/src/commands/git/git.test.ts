import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../lib/errors';
import { captureProcess } from '../../lib/testing/capture-process';

// The API client is replaced by a recorder: these tests see exactly what the commands send.
const calls = vi.hoisted(() => [] as { procedure: string; input: unknown }[]);
const SOURCE = {
  repositoryUrl: 'git@github.com:acme/shop.git',
  branch: 'main',
  rootDirectory: '.',
  dockerfile: null,
  watchPaths: ['src/**'],
  submodules: false,
  provider: null,
  previewExpiry: '7d',
  webhookUrl: 'https://rise.example.com/api/hooks/git/github/HOOK',
  deployKey: null,
  accessTokenSet: true,
  apiUrl: 'https://ghe.example.com/api/v3',
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKEY rise-shop';
vi.mock('../../lib/api', () => {
  const answers: Record<string, unknown> = {
    'project.update': { name: 'shop' },
    'gitSource.get': SOURCE,
    'gitSource.set': { source: SOURCE, webhookSecret: 'whsec-once' },
    'gitSource.generateDeployKey': { publicKey: PUBLIC_KEY },
    'gitSource.revealWebhookSecret': { webhookSecret: 'whsec-now' },
    'gitSource.rotateWebhookSecret': { webhookSecret: 'whsec-new' },
    'gitSource.remove': { removed: true },
  };
  const procedure = (name: string) => async (input: unknown) => {
    calls.push({ procedure: name, input });
    return answers[name];
  };
  const router = (noun: string, verbs: string[]) =>
    Object.fromEntries(
      verbs.map((verb) => [
        verb,
        { mutate: procedure(`${noun}.${verb}`), query: procedure(`${noun}.${verb}`) },
      ]),
    );
  return {
    authenticatedApi: () => ({
      project: router('project', ['update']),
      gitSource: router('gitSource', [
        'get',
        'set',
        'generateDeployKey',
        'revealWebhookSecret',
        'rotateWebhookSecret',
        'remove',
      ]),
    }),
  };
});

const { buildProgram } = await import('../../program');
const output = captureProcess();
beforeEach(() => {
  calls.length = 0;
});
const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);

describe('rise p u --git', () => {
  it('sets the source only (not the project), and shows the webhook secret made with it', async () => {
    await rise(
      'p',
      'u',
      'shop',
      '--git',
      'git@github.com:acme/shop.git',
      '--branch',
      'main',
      '--root-dir',
      'web/',
      '--watch',
      'src/**',
      '--watch',
      'package.json',
    );
    expect(process.exitCode ?? 0).toBe(0);
    expect(calls).toEqual([
      {
        procedure: 'gitSource.set',
        input: {
          project: 'shop',
          repositoryUrl: 'git@github.com:acme/shop.git',
          branch: 'main',
          rootDirectory: 'web',
          watchPaths: ['src/**', 'package.json'],
        },
      },
    ]);
    expect(output.stderr).toContain('Webhook URL: https://rise.example.com/api/hooks/git/github/HOOK');
    expect(output.stderr).toContain('Webhook secret: whsec-once');
    expect(output.stderr).toContain('rise git key shop');
  });

  it('changes project settings and the source in one command', async () => {
    await rise(
      'p',
      'u',
      'shop',
      '--port',
      '8080',
      '--branch',
      'dev',
      '--no-submodules',
      '--clear-access-token',
    );
    expect(calls.map((call) => call.procedure)).toEqual(['project.update', 'gitSource.set']);
    expect(calls[1]!.input).toEqual({ project: 'shop', branch: 'dev', submodules: false, accessToken: null });
  });

  it.each([
    ['--git', '--upload-pack=touch /tmp/x', /^--git: A repository URL may not start with `-`/],
    ['--git', 'file:///etc', /^--git: 'file:\/\/' repositories are not allowed/],
    ['--git', 'ext::sh', /^--git: Git transport helpers/],
    ['--git', 'git@host:-oProxyCommand=x', /^--git: No part of the repository path may start with `-`/],
    ['--branch', 'a..b', /^--branch: A branch name may not contain `\.\.`/],
    ['--root-dir', '../up', /^--root-dir: The root directory may not leave the repository/],
  ])('refuses %s %s before calling the API (exit 2)', async (flag, value, message) => {
    // `--flag=value` so commander does not read a leading `-` as another option.
    await rise('p', 'u', 'shop', `${flag}=${value}`);
    expect(process.exitCode).toBe(EXIT.usage);
    expect(output.stderr).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('--git-api-url sets the forge API base (trailing / dropped); `default` clears it', async () => {
    await rise('p', 'u', 'shop', '--git-api-url', 'https://ghe.example.com/api/v3/');
    await rise('p', 'u', 'shop', '--git-api-url', 'default');
    expect(calls).toEqual([
      { procedure: 'gitSource.set', input: { project: 'shop', apiUrl: 'https://ghe.example.com/api/v3' } },
      { procedure: 'gitSource.set', input: { project: 'shop', apiUrl: null } },
    ]);
  });

  it.each([
    ['ftp://ghe.example.com', /^--git-api-url: The API URL must start with https:\/\//],
    ['ghe.example.com/api', /^--git-api-url: 'ghe\.example\.com\/api' is not a URL/],
    ['https://me:pw@ghe.example.com', /^--git-api-url: Put credentials in the access token/],
  ])('refuses --git-api-url %s before calling the API (exit 2)', async (value, message) => {
    await rise('p', 'u', 'shop', `--git-api-url=${value}`);
    expect(process.exitCode).toBe(EXIT.usage);
    expect(output.stderr).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('without source flags updates the project as before', async () => {
    await rise('p', 'u', 'shop', '--port', '8080');
    expect(calls).toEqual([{ procedure: 'project.update', input: { project: 'shop', port: 8080 } }]);
  });
});

describe('rise git', () => {
  it('key prints the public key alone on stdout', async () => {
    await rise('git', 'key', 'shop');
    expect(calls).toEqual([{ procedure: 'gitSource.generateDeployKey', input: { project: 'shop' } }]);
    expect(output.stdout).toBe(`${PUBLIC_KEY}\n`);
    expect(output.stderr).toContain('deploy keys');
  });

  it('show prints the settings, the token only as set', async () => {
    await rise('git', 'show', 'shop');
    expect(output.stdout).toMatch(/^Repository: +git@github\.com:acme\/shop\.git$/m);
    expect(output.stdout).toMatch(/^Watch paths: +src\/\*\*$/m);
    expect(output.stdout).toMatch(/^Access token: +set$/m);
    expect(output.stdout).toMatch(/^Deploy key: +none \(rise git key shop\)$/m);
    expect(output.stdout).toMatch(/^API URL: +https:\/\/ghe\.example\.com\/api\/v3$/m);
  });

  it('secret reveals, --rotate rotates', async () => {
    await rise('git', 'secret', 'shop');
    await rise('git', 'secret', 'shop', '--rotate');
    expect(calls.map((call) => call.procedure)).toEqual([
      'gitSource.revealWebhookSecret',
      'gitSource.rotateWebhookSecret',
    ]);
    expect(output.stdout).toBe('whsec-now\nwhsec-new\n');
  });

  it('rm removes the source', async () => {
    await rise('git', 'rm', 'shop');
    expect(calls).toEqual([{ procedure: 'gitSource.remove', input: { project: 'shop' } }]);
    expect(output.stderr).toContain("Removed the git source of 'shop'.");
  });
});
