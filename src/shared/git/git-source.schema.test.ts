import { describe, expect, it } from 'vitest';
import {
  branchName,
  effectiveProvider,
  gitSourceSettings,
  isSshRepositoryUrl,
  repositoryUrl,
  repositoryUrlProblem,
  rootDirectory,
  watchPaths,
} from './git-source.schema';

describe('repositoryUrl', () => {
  it.each([
    'https://github.com/acme/shop.git',
    'https://gitea.internal:3000/acme/shop',
    'http://127.0.0.1:8080/git/shop.git',
    'ssh://git@gitlab.example.com:2222/acme/shop.git',
    'ssh://gitlab.example.com/acme/shop.git',
    'git@github.com:acme/shop.git',
    'github.com:acme/shop.git',
    'git@bitbucket.org:acme/shop-2.git',
  ])('accepts %s', (url) => {
    expect(repositoryUrlProblem(url)).toBeNull();
    expect(repositoryUrl.parse(url)).toBe(url);
  });

  it.each([
    ['--upload-pack=touch /tmp/pwned', 'may not start with `-`'],
    ['-oProxyCommand=sh', 'may not start with `-`'],
    ['file:///etc', "'file://' repositories are not allowed"],
    ['ext::sh%20-c%20id', 'transport helpers'],
    ['ext::sh -c touch% /tmp/pwned', 'spaces'],
    ['fd::17', 'transport helpers'],
    ['git@host:-oProxyCommand=sh', 'may start with `-`'],
    ['ssh://-oProxyCommand=sh/x', 'is not a host name'],
    ['ssh://git@-host/x.git', 'is not a host name'],
    ['/etc/passwd', 'local paths are not allowed'],
    ['./repo', 'local paths are not allowed'],
    ['../repo.git', 'may not contain `..`'],
    ['https://github.com/acme/shop.git;rm -rf /', 'spaces'],
    ['https://github.com/acme/shop.git;id', 'shell characters'],
    ['https://github.com/acme/$(id).git', 'shell characters'],
    ['https://github.com/acme/`id`.git', 'shell characters'],
    ['https://user:pass@github.com/acme/shop.git', 'access token'],
    ['https://github.com/', 'names no repository'],
    ['https://github.com/acme/shop.git?x=1', 'no shell characters'],
    ['https://github.com/acme/../../etc', 'may not contain `..`'],
    ['git://github.com/acme/shop.git', "'git://' repositories are not allowed"],
    ['https://github.com/acme/shop\n.git', 'control characters'],
    ['', 'Give a repository URL'],
  ])('refuses %j', (url, message) => {
    const problem = repositoryUrlProblem(url);
    expect(problem).toContain(message);
    expect(repositoryUrl.safeParse(url).success).toBe(false);
  });

  it('tells ssh URLs from https ones', () => {
    expect(isSshRepositoryUrl('git@github.com:acme/shop.git')).toBe(true);
    expect(isSshRepositoryUrl('ssh://github.com/acme/shop.git')).toBe(true);
    expect(isSshRepositoryUrl('https://github.com/acme/shop.git')).toBe(false);
  });
});

describe('branchName', () => {
  it.each(['main', 'release/1.2', 'feature/x-y_z', 'v1.0.0'])('accepts %s', (branch) => {
    expect(branchName.parse(branch)).toBe(branch);
  });
  it.each([
    '-main',
    '--upload-pack=x',
    'a..b',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[',
    'a\\b',
    'a@{1}',
    '@',
    '/a',
    'a/',
    'a.',
    'a//b',
    '.hidden',
    'x/.y',
    'a.lock',
    '',
  ])('refuses %j', (branch) => {
    expect(branchName.safeParse(branch).success).toBe(false);
  });
});

describe('paths', () => {
  it('normalises the root directory and refuses escapes', () => {
    expect(rootDirectory.parse('apps/web/')).toBe('apps/web');
    expect(rootDirectory.parse('.')).toBe('.');
    for (const bad of ['../x', 'a/../../x', '/etc', '-x', 'a b', 'a;b']) {
      expect(rootDirectory.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('accepts globs as watch paths, relative only', () => {
    expect(watchPaths.parse(['src/**', '*.json', '{api,web}/**', '!docs/**'])).toHaveLength(4);
    expect(watchPaths.safeParse(['../**']).success).toBe(false);
    expect(watchPaths.safeParse(['/etc/**']).success).toBe(false);
    expect(watchPaths.safeParse(['$(id)']).success).toBe(false);
  });
});

describe('gitSourceSettings', () => {
  it('reports the reason with the field', () => {
    const result = gitSourceSettings.safeParse({ repositoryUrl: 'file:///etc', previewExpiry: '3x' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['repositoryUrl', 'previewExpiry']);
    expect(result.error?.issues[1]?.message).toContain('Expiry is a number and a unit');
  });

  it('keeps a valid preview expiry as written', () => {
    expect(gitSourceSettings.parse({ previewExpiry: '2h' })).toEqual({ previewExpiry: '2h' });
  });
});

describe('effectiveProvider', () => {
  it('prefers the set provider, then a known host', () => {
    expect(effectiveProvider({ provider: 'gitea', repositoryUrl: 'https://github.com/a/b' })).toBe('gitea');
    expect(effectiveProvider({ provider: null, repositoryUrl: 'git@github.com:a/b.git' })).toBe('github');
    expect(effectiveProvider({ provider: null, repositoryUrl: 'https://gitlab.com/a/b' })).toBe('gitlab');
    expect(effectiveProvider({ provider: null, repositoryUrl: 'https://git.example.com/a/b' })).toBeNull();
  });
});
