import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { completionScript } from '../../lib/completion-script';
import { CliError, EXIT } from '../../lib/errors';
import { buildProgram } from '../../program';
import { accountArguments } from './account-arguments';
import { claimPair, claimRules, defaultServiceAccountName, describeClaims } from './claims';
import { type CreateArgs, create, createRequest } from './create';
import { show } from './show';

const GITHUB = 'https://token.actions.githubusercontent.com';

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`exit ${code}`);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);

/** Runs `rise sa create …` up to its run, and returns what run got (run itself is not called). */
async function parsedCreate(...args: string[]): Promise<CreateArgs> {
  const run = vi.spyOn(create, 'run').mockResolvedValue(EXIT.ok);
  await rise('sa', 'create', ...args);
  expect(run, stderr).toHaveBeenCalledOnce();
  return run.mock.calls[0]![0];
}

describe('rise sa create: --claim', () => {
  it('collects repeated --claim name=value in order; a value may contain =', async () => {
    const args = await parsedCreate(
      'app',
      '--issuer',
      GITHUB,
      '--claim',
      'aud=rise',
      '--claim',
      'repository=acme/app',
      '--claim',
      'job_workflow_ref=acme/app/.github/workflows/ci.yml@refs/heads/main',
    );
    expect(args.claim).toEqual([
      ['aud', 'rise'],
      ['repository', 'acme/app'],
      ['job_workflow_ref', 'acme/app/.github/workflows/ci.yml@refs/heads/main'],
    ]);
    expect(createRequest(args)).toEqual({
      project: 'app',
      name: 'acme-app-acme-app-github-workflows-ci-yml-refs-heads-main',
      issuer: GITHUB,
      claims: {
        aud: 'rise',
        repository: 'acme/app',
        job_workflow_ref: 'acme/app/.github/workflows/ci.yml@refs/heads/main',
      },
      role: 'developer',
    });
  });

  it('-p/--project, --role and --name', async () => {
    const args = await parsedCreate(
      '-p',
      'app',
      '--issuer',
      'https://gitlab.com',
      '--claim',
      'aud=https://rise.example.com',
      '--claim',
      'project_path=acme/app',
      '--role',
      'viewer',
      '--name',
      'gitlab-ci',
    );
    expect(createRequest(args)).toMatchObject({ project: 'app', name: 'gitlab-ci', role: 'viewer' });
  });

  it('a claim that is not name=value is a usage error naming the flag (exit 2)', async () => {
    await expect(rise('sa', 'create', 'app', '--issuer', GITHUB, '--claim', 'aud')).rejects.toThrow('exit 2');
    expect(stderr).toContain("option '--claim <name=value>' argument 'aud' is invalid. expected name=value");
    await expect(rise('sa', 'create', 'app', '--issuer', GITHUB, '--claim', '=rise')).rejects.toThrow(
      'exit 2',
    );
    await expect(rise('sa', 'create', 'app', '--issuer', GITHUB, '--claim', 'ref=')).rejects.toThrow(
      'exit 2',
    );
    expect(stderr).toContain("claim 'ref' has no value");
  });

  // Exit 2, not 3: the claims are refused before the API (and the missing login) is reached.
  it('aud alone, no aud, or a claim given twice: exit 2 before anything is sent', async () => {
    const cases: [string[], string][] = [
      [['--claim', 'aud=rise'], "at least one besides 'aud'"],
      [['--claim', 'repository=acme/app'], "must include 'aud'"],
      [['--claim', 'aud=rise', '--claim', 'ref=a', '--claim', 'ref=b'], "Claim 'ref' is given twice"],
      [[], "must include 'aud'"],
    ];
    for (const [claims, message] of cases) {
      stderr = '';
      process.exitCode = undefined;
      await rise('sa', 'create', 'app', '--issuer', GITHUB, ...claims);
      expect(process.exitCode, claims.join(' ')).toBe(EXIT.usage);
      expect(stderr).toContain(message);
    }
  });

  it('requires --issuer, as a URL', async () => {
    await expect(rise('sa', 'create', 'app', '--claim', 'aud=rise')).rejects.toThrow('exit 2');
    expect(stderr).toContain("required option '--issuer <url>' not specified");
    await expect(
      rise('sa', 'create', 'app', '--issuer', 'github', '--claim', 'aud=rise', '--claim', 'a=b'),
    ).rejects.toThrow('exit 2');
    expect(stderr).toContain('expected a URL');
  });

  it('rejects a role a service account cannot have, and a bad --name', async () => {
    const base = ['sa', 'create', 'app', '--issuer', GITHUB, '--claim', 'aud=rise', '--claim', 'a=b'];
    await expect(rise(...base, '--role', 'owner')).rejects.toThrow('exit 2');
    expect(stderr).toContain('Allowed choices are viewer, developer, admin');
    await expect(rise(...base, '--name', 'CI Bot')).rejects.toThrow('exit 2');
    expect(stderr).toContain('lowercase letters, digits and hyphens');
  });
});

describe('claim helpers', () => {
  it('claimPair and claimRules agree with the API schema', () => {
    const pairs = claimPair('repository=acme/app', claimPair('aud=rise'));
    expect(claimRules(pairs)).toEqual({ aud: 'rise', repository: 'acme/app' });
    expect(() => claimRules([['aud', 'rise']])).toThrow(CliError);
  });

  it('describes claims aud first, then by name', () => {
    expect(describeClaims({ ref: 'main', aud: 'rise', project_path: 'acme/app' })).toBe(
      'aud=rise, project_path=acme/app, ref=main',
    );
  });

  it('derives a name from the claims besides aud', () => {
    expect(defaultServiceAccountName({ aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' })).toBe(
      'acme-app-refs-heads-main',
    );
    expect(defaultServiceAccountName({ aud: 'rise', project_id: '42' })).toBe('ci-42');
    expect(defaultServiceAccountName({ aud: 'rise', x: '***' })).toBe('ci');
    const long = defaultServiceAccountName({ aud: 'rise', repository: `${'a'.repeat(62)}/b` });
    expect(long).toMatch(/^[a-z][a-z0-9-]{0,62}$/);
    expect(long.endsWith('-')).toBe(false);
  });
});

describe('rise sa show|rm: PROJECT ID', () => {
  it('takes the project and the id, or -p and the id', async () => {
    const run = vi.spyOn(show, 'run').mockResolvedValue(EXIT.ok);
    await rise('sa', 's', 'app', 'ci-main');
    await rise('service-account', 'show', '-p', 'app', 'ci-main');
    for (const [args] of run.mock.calls)
      expect(accountArguments(args.project, args.id, 'show')).toEqual({ project: 'app', account: 'ci-main' });
  });

  it('one positional is the account, the project from .rise.toml; none is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rise-sa-'));
    try {
      writeFileSync(join(dir, '.rise.toml'), 'project = "from-toml"\n');
      expect(accountArguments('ci-main', undefined, 'show', dir)).toEqual({
        project: 'from-toml',
        account: 'ci-main',
      });
      expect(() => accountArguments(undefined, undefined, 'rm', dir)).toThrow(/rise sa rm PROJECT ID/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('completion knows the noun, its alias and its verbs', () => {
    const script = completionScript(buildProgram(), 'bash');
    expect(script).toMatch(
      /service-account\|sa\) COMPREPLY=\(\$\(compgen -W "create c ls list show s delete rm"/,
    );
  });
});
